import { type ChildProcess, spawn } from 'node:child_process';
import { tail } from './commands.js';

/** Options of ManagedProcess.start. */
export interface StartOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** A parsed JSON log line. */
export type LogRecord = Record<string, unknown>;

interface LineWaiter {
  readonly match: (line: string) => boolean;
  readonly resolve: (line: string) => void;
}

/**
 * A long-running child process whose output is kept for assertions and error messages.
 * stop() is idempotent: SIGTERM, then SIGKILL when it outlives its grace.
 */
export class ManagedProcess {
  private output = '';
  private pending = '';
  private readonly lines: string[] = [];
  private readonly waiters = new Set<LineWaiter>();
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitStatus: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const onData = (chunk: Buffer) => this.consume(chunk.toString('utf8'));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        resolve({ code, signal });
      });
      child.on('error', (error) => {
        this.consume(`\n[spawn error] ${error.message}\n`);
        this.exitStatus = { code: null, signal: null };
        resolve({ code: null, signal: null });
      });
    });
  }

  /** Starts a process with piped output; stdin is closed. */
  static start(
    name: string,
    file: string,
    args: readonly string[],
    options: StartOptions = {},
  ): ManagedProcess {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ManagedProcess(name, child);
  }

  /** Everything the process printed so far (stdout and stderr interleaved). */
  get log(): string {
    return this.output;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.exitStatus === undefined;
  }

  /** Resolves with the first line (past or future) that matches; rejects on exit or timeout. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string> {
    const seen = this.lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: LineWaiter = {
        match,
        resolve: (line) => {
          cleanUp();
          resolve(line);
        },
      };
      const fail = (why: string) => {
        cleanUp();
        reject(new Error(`${this.name} ${why}; its output:\n${tail(this.output)}`));
      };
      const timer = setTimeout(() => fail(`printed no awaited line in ${timeoutMs} ms`), timeoutMs);
      const cleanUp = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
      void this.exited.then(({ code, signal }) => {
        if (this.waiters.has(waiter)) fail(`exited (code ${code}, signal ${signal})`);
      });
    });
  }

  /** Resolves with the first JSON log record the predicate accepts. */
  async waitForRecord(
    match: (record: LogRecord) => boolean,
    timeoutMs: number,
  ): Promise<LogRecord> {
    const line = await this.waitForLine((text) => {
      const record = parseRecord(text);
      return record !== undefined && match(record);
    }, timeoutMs);
    return parseRecord(line) ?? {};
  }

  /** Sends SIGTERM, then SIGKILL after graceMs; resolves with how the process ended. */
  async stop(graceMs = 5000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exitStatus !== undefined) return this.exitStatus;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private consume(text: string): void {
    this.output += text;
    this.pending += text;
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(line)) waiter.resolve(line);
      }
    }
  }
}

/** A JSON object log line, or undefined for anything else. */
export function parseRecord(line: string): LogRecord | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as LogRecord)
      : undefined;
  } catch {
    return undefined;
  }
}
