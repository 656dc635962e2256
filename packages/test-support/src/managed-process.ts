import { type ChildProcess, spawn } from 'node:child_process';
import { watchStream } from './node-warnings.js';

/** How a process ended. */
export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options of ManagedProcess.start. */
export interface StartOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Its own process group, for signals sent the way a terminal's Ctrl-C sends them. */
  readonly ownGroup?: boolean;
}

/** Node options for a child whose warnings a test reports: where each was emitted. */
export const TRACE_WARNINGS = { NODE_OPTIONS: '--trace-warnings' } as const;

/** A parsed JSON log line. */
export type LogRecord = Record<string, unknown> & { msg?: string };

interface LineWaiter {
  readonly match: (line: string) => boolean;
  resolve(line: string): void;
}

/** The last lines of a text, for error messages. */
export function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * A child process whose output (stdout and stderr, interleaved) is kept for assertions and error
 * messages, line by line and, for JSON lines, as records. Both are watched for Node warnings,
 * which fail the test under the `fail-on-node-warnings` setup file. stop() and kill() are safe
 * to call twice.
 */
export class ManagedProcess {
  /** Every JSON object line printed so far, in order. */
  readonly records: LogRecord[] = [];
  /** Resolves with how the process ended. */
  readonly exited: Promise<Exit>;
  private output = '';
  private pending = '';
  private readonly lines: string[] = [];
  private readonly waiters = new Set<LineWaiter>();
  private exitStatus: Exit | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const onData = (chunk: Buffer) => this.consume(chunk.toString('utf8'));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    const who = `${name} (pid ${child.pid})`;
    const exited = () => !this.running;
    // A stdout holds logs, Redis's among them: only Node's own warning format counts there (the
    // stack's children write theirs to it, through concurrently).
    if (child.stdout) watchStream(`${who} stdout`, child.stdout, 'node', exited);
    if (child.stderr) watchStream(`${who} stderr`, child.stderr, 'any', exited);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        resolve(this.exitStatus);
      });
      child.on('error', (error) => {
        this.consume(`\n[spawn error] ${error.message}\n`);
        this.exitStatus = { code: null, signal: null };
        resolve(this.exitStatus);
      });
    });
  }

  /** Starts `file args` with piped output; stdin is closed. */
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
      detached: options.ownGroup ?? false,
    });
    return new ManagedProcess(name, child);
  }

  /**
   * Starts a Node script of ours with only PATH and `env` in its environment, logging JSON (so
   * tests read its records), and no REDIS_URL unless `env` gives one. A warning it prints comes
   * with the stack that emitted it.
   */
  static node(script: string, env: Record<string, string>, args: readonly string[] = []) {
    const name = script.split('/').pop() ?? script;
    return ManagedProcess.start(name, process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...TRACE_WARNINGS, ...env },
    });
  }

  /** Everything the process printed so far. */
  get log(): string {
    return this.output;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.exitStatus === undefined;
  }

  /** The process id, for tests that send it signals themselves. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the first line (past or future) that matches; rejects on exit or timeout. */
  waitForLine(match: (line: string) => boolean, timeoutMs = 15_000): Promise<string> {
    const seen = this.lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return this.nextLine(match, timeoutMs);
  }

  /**
   * Resolves with the first JSON record the predicate accepts, among records[from ..] (past or
   * future); rejects on exit or timeout.
   */
  async waitForRecord(
    match: (record: LogRecord) => boolean,
    timeoutMs = 15_000,
    from = 0,
  ): Promise<LogRecord> {
    const seen = this.records.slice(from).find(match);
    if (seen !== undefined) return seen;
    const line = await this.nextLine((text) => {
      const record = parseRecord(text);
      return record !== undefined && match(record);
    }, timeoutMs);
    // The matching line's own record: by the time this resumes, later lines of the same chunk
    // may have been stored after it.
    return parseRecord(line)!;
  }

  /** The next line to come that matches. */
  private nextLine(match: (line: string) => boolean, timeoutMs: number): Promise<string> {
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

  /** Sends a signal without waiting. */
  signal(signal: NodeJS.Signals): void {
    if (this.exitStatus === undefined) this.child.kill(signal);
  }

  /**
   * Sends a signal to every process in the group (started with `ownGroup`), as a terminal
   * delivers Ctrl-C to its foreground job.
   */
  signalGroup(signal: NodeJS.Signals): void {
    if (this.exitStatus === undefined && this.child.pid !== undefined) {
      process.kill(-this.child.pid, signal);
    }
  }

  /** Sends SIGTERM, then SIGKILL after graceMs; resolves with how the process ended. */
  async stop(graceMs = 5000): Promise<Exit> {
    if (this.exitStatus !== undefined) return this.exitStatus;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the process at once (SIGKILL) and waits for it. */
  async kill(): Promise<Exit> {
    this.signal('SIGKILL');
    return this.exited;
  }

  private consume(text: string): void {
    this.output += text;
    this.pending += text;
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      const record = parseRecord(line);
      if (record !== undefined) this.records.push(record);
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
