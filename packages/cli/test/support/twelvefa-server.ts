import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The real API server's entry point, built by `turbo run build --filter=@twelvefa/server`. */
export const TWELVEFA_BIN = fileURLToPath(
  new URL('../../../server/dist/bin/twelvefa.js', import.meta.url),
);

/** One JSON log line of the server. */
export type LogLine = Record<string, unknown>;

/**
 * A real `twelvefa` process on the embedded runner (no Redis), listening on
 * `port` (0 for any). Resolves once it logs `"msg":"listening"`.
 */
export class TwelvefaServer {
  readonly logs: LogLine[] = [];
  #port = 0;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #waiters: Array<() => void> = [];

  private constructor(child: ChildProcess) {
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as LogLine);
      } catch {
        this.logs.push({ msg: line });
      }
      for (const wake of this.#waiters) {
        wake();
      }
    });
  }

  static async start(port = 0): Promise<TwelvefaServer> {
    if (!existsSync(TWELVEFA_BIN)) {
      throw new Error(
        `${TWELVEFA_BIN} is missing: run npx turbo run build --filter=@twelvefa/server... first`,
      );
    }
    // Without REDIS_URL the server runs its embedded job runner.
    const { REDIS_URL: _redis, ...env } = process.env;
    const child = spawn(process.execPath, [TWELVEFA_BIN], {
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const server = new TwelvefaServer(child);
    try {
      const listening = await server.waitForLog((line) => line.msg === 'listening', 15_000);
      server.#port = Number(listening.port);
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  get port(): number {
    return this.#port;
  }

  /** Waits for a log line matching `predicate`, or fails after `timeoutMs`. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.logs.find(predicate);
        if (found) {
          clearTimeout(timer);
          this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
          resolve(found);
        }
        return found !== undefined;
      };
      const wake = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        reject(
          new Error(
            `no matching server log line within ${timeoutMs} ms; logs:\n${JSON.stringify(this.logs)}`,
          ),
        );
      }, timeoutMs);
      if (!check()) {
        this.#waiters.push(wake);
      }
    });
  }

  /** Stops the server (SIGTERM, then SIGKILL). Safe to call twice. */
  async close(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGTERM');
      const killer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
      await this.#exited;
      clearTimeout(killer);
    }
  }
}
