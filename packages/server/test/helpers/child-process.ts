import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built bins: tests run after `npm run build`. */
export const BIN = {
  api: fileURLToPath(new URL('../../dist/bin/twelvefa.js', import.meta.url)),
  worker: fileURLToPath(new URL('../../dist/bin/twelvefa-worker.js', import.meta.url)),
  health: fileURLToPath(new URL('../../dist/bin/twelvefa-health.js', import.meta.url)),
} as const;

/** A log line as JSON. */
export type LogLine = Record<string, unknown> & { msg?: string };

/** A spawned node process whose stdout JSON lines are collected. */
export class NodeProcess {
  readonly child: ChildProcess;
  readonly lines: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private listeners = new Set<() => void>();

  constructor(file: string, env: Record<string, string>, args: readonly string[] = []) {
    this.child = spawn(process.execPath, [file, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const text = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        try {
          this.lines.push(JSON.parse(text) as LogLine);
        } catch {
          this.lines.push({ msg: text });
        }
        for (const listener of this.listeners) listener();
        newline = buffer.indexOf('\n');
      }
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        for (const listener of this.listeners) listener();
        resolve({ code, signal });
      });
    });
  }

  /** The first line matching from line index `from` on, waiting up to timeoutMs for it. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs = 15_000, from = 0): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.lines.slice(from).find(match);
        if (found !== undefined) {
          finish();
          resolve(found);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          finish();
          reject(new Error(`process exited before the line appeared; stderr: ${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no matching line within ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Kills the process (SIGKILL unless told) and waits for it; safe to call twice. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    await this.exited;
  }
}
