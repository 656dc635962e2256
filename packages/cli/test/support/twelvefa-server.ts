import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LogRecord, ManagedProcess } from '@twelvefa/test-support';

/** The real API server's entry point, built by `turbo run build --filter=@twelvefa/server`. */
export const TWELVEFA_BIN = fileURLToPath(
  new URL('../../../server/dist/bin/twelvefa.js', import.meta.url),
);

/**
 * A real `twelvefa` process on the embedded runner (no Redis), listening on `port` (0 for any).
 * start() resolves once it logs `"msg":"listening"`.
 */
export class TwelvefaServer {
  private constructor(
    private readonly process: ManagedProcess,
    readonly port: number,
  ) {}

  static async start(port = 0, env: Record<string, string> = {}): Promise<TwelvefaServer> {
    if (!existsSync(TWELVEFA_BIN)) {
      throw new Error(
        `${TWELVEFA_BIN} is missing: run npx turbo run build --filter=@twelvefa/server... first`,
      );
    }
    const process = ManagedProcess.node(TWELVEFA_BIN, { PORT: String(port), ...env });
    try {
      const listening = await process.waitForRecord((line) => line.msg === 'listening');
      return new TwelvefaServer(process, Number(listening.port));
    } catch (error) {
      await process.kill();
      throw error;
    }
  }

  /** Waits for a log line matching `predicate`, or fails after `timeoutMs`. */
  waitForLog(predicate: (line: LogRecord) => boolean, timeoutMs = 10_000): Promise<LogRecord> {
    return this.process.waitForRecord(predicate, timeoutMs);
  }

  /** Stops the server (SIGTERM, then SIGKILL). Safe to call twice. */
  async close(): Promise<void> {
    await this.process.stop();
  }
}
