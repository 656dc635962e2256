import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TRACE_WARNINGS, watchForWarnings } from '@twelvefa/test-support';

const run = promisify(execFile);

let sessions = 0;

export interface TerminalOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly columns?: number;
  readonly rows?: number;
}

/**
 * A real pseudo-terminal driven through tmux on a private socket: start a
 * command, type and press keys as a person would, read the screen. Every byte written to it is
 * kept (output()) and watched for Node warnings, which fail the test (test-support's
 * fail-on-node-warnings).
 */
export class Terminal {
  private readonly socket: string;
  private readonly directory: string;
  private closed = false;
  /** What was written, read once more as the terminal closes (its file goes then). */
  private written: string | undefined;
  private markClosed: () => void = () => undefined;

  private constructor(socket: string, directory: string, command: string) {
    this.socket = socket;
    this.directory = directory;
    watchForWarnings({
      name: `the terminal running ${command}`,
      match: 'any',
      text: () => this.output(),
      finished: new Promise((resolve) => {
        this.markClosed = resolve;
      }),
      exited: () => this.closed,
    });
  }

  /** Runs `argv` in a fresh tmux server with a fixed size and TERM. */
  static async start(argv: readonly string[], options: TerminalOptions = {}): Promise<Terminal> {
    sessions += 1;
    const directory = mkdtempSync(join(tmpdir(), 'calcli-tty-'));
    // remain-on-exit keeps the pane, so the test can read the screen and exit status.
    const config = join(directory, 'tmux.conf');
    writeFileSync(
      config,
      'set -g remain-on-exit on\nset -g remain-on-exit-format ""\nset -g status off\nset -g history-limit 1000\n',
    );
    const terminal = new Terminal(
      `calcli-test-${process.pid}-${sessions}`,
      directory,
      argv.join(' '),
    );
    const env = { TERM: 'screen', ...TRACE_WARNINGS, ...options.env };
    // The exit status goes to a file: tmux's own #{pane_dead_status} is
    // sometimes never filled in when the pane's process exits.
    const command = [
      'sh',
      '-c',
      `"$@"; echo $? > ${quote(join(directory, 'status'))}`,
      'sh',
      'env',
      ...Object.entries(env).map(([key, value]) => `${key}=${value}`),
      ...argv,
    ]
      .map(quote)
      .join(' ');
    try {
      // pipe-pane in the same tmux command: tmux reads nothing from the pane before it is set,
      // so the recording starts with the program's first byte.
      await terminal.tmux(
        '-f',
        config,
        'new-session',
        '-d',
        '-s',
        'calcli',
        '-x',
        String(options.columns ?? 100),
        '-y',
        String(options.rows ?? 40),
        command,
        ';',
        'pipe-pane',
        '-t',
        'calcli',
        `cat > ${quote(terminal.outputFile)}`,
      );
    } catch (error) {
      await terminal.close();
      throw error;
    }
    return terminal;
  }

  private get outputFile(): string {
    return join(this.directory, 'output');
  }

  /** Types text literally, as a burst of keystrokes. */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', 'calcli', '-l', text);
  }

  /** Sends bytes exactly as a terminal encodes a key (`\x1b[1~` is Home on a VT220). */
  async sendBytes(bytes: string): Promise<void> {
    const hex = [...Buffer.from(bytes, 'latin1')].map((byte) => byte.toString(16).padStart(2, '0'));
    await this.tmux('send-keys', '-t', 'calcli', '-H', ...hex);
  }

  /** Presses keys by tmux name: Enter, Tab, Up, C-c, C-d. */
  async press(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', 'calcli', ...keys);
  }

  /** Everything on the screen and scrolled off it, trailing blank lines removed. */
  async screen(): Promise<string> {
    const { stdout } = await this.tmux('capture-pane', '-p', '-t', 'calcli', '-S', '-');
    return stdout.replace(/\n+$/, '');
  }

  /**
   * The lines as the program wrote them: a line the terminal wrapped onto several rows comes back
   * whole (so a line wider than the terminal shows as one), blank lines and trailing blanks left
   * out. Those scrolled off the screen too, unless `scrollback` is false.
   */
  async lines({ scrollback = true } = {}): Promise<string[]> {
    const { stdout } = await this.tmux(
      'capture-pane',
      '-p',
      '-J',
      '-t',
      'calcli',
      ...(scrollback ? ['-S', '-'] : []),
    );
    return stdout
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '');
  }

  /** Every byte written to the terminal so far, escape sequences and all. */
  output(): string {
    if (this.written !== undefined) return this.written;
    return existsSync(this.outputFile) ? readFileSync(this.outputFile, 'utf8') : '';
  }

  /** Resizes the terminal, as dragging its window does: the program gets SIGWINCH. */
  async resize(columns: number, rows = 40): Promise<void> {
    await this.tmux('resize-window', '-t', 'calcli', '-x', String(columns), '-y', String(rows));
  }

  /** Polls the screen until `expected` matches it, or fails with the screen after `timeoutMs`. */
  async waitFor(expected: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const matches = (screen: string): boolean =>
      typeof expected === 'string' ? screen.includes(expected) : expected.test(screen);
    return this.poll(
      async () => {
        const screen = await this.screen();
        return matches(screen) ? screen : undefined;
      },
      timeoutMs,
      () => `screen never showed ${String(expected)}`,
    );
  }

  /** Polls until the last of lines() is `expected` (a long line typed, whole); resolves to lines(). */
  async waitForLastLine(expected: string, timeoutMs = 10_000): Promise<string[]> {
    return this.poll(
      async () => {
        const lines = await this.lines();
        return lines.at(-1) === expected ? lines : undefined;
      },
      timeoutMs,
      () => `the last line never read ${expected}`,
    );
  }

  /** Waits for the program to end; resolves to its exit status. */
  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const file = join(this.directory, 'status');
    return this.poll(
      async () => {
        const status = existsSync(file) ? readFileSync(file, 'utf8') : '';
        return status.endsWith('\n') ? Number(status) : undefined;
      },
      timeoutMs,
      () => 'the program did not exit',
    );
  }

  /** Kills this tmux server and what runs in it. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    try {
      await this.tmux('kill-server');
    } catch {
      // The server is already gone.
    }
    this.written = this.output();
    this.markClosed();
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async poll<T>(
    probe: () => Promise<T | undefined>,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined) {
        return found;
      }
      if (Date.now() > deadline) {
        throw new Error(`${describe()} within ${timeoutMs} ms; screen:\n${await this.screen()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-L', this.socket, ...args]);
  }
}

function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
