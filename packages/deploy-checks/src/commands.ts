import { execFile } from 'node:child_process';
import { tail } from '@twelvefa/test-support';

/** What a finished command printed and how it ended. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of runCommand. */
export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) and rejected after this long. Default 60 s. */
  readonly timeoutMs?: number;
  /** Written to the command's stdin, which is then closed. */
  readonly input?: string;
}

/**
 * Runs a command to completion without a shell. Resolves with its exit code, even a
 * non-zero one; rejects when it cannot start, is killed by a signal or times out.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolvePromise({ code: 0, stdout, stderr });
        } else if (typeof error.code === 'number') {
          resolvePromise({ code: error.code, stdout, stderr });
        } else {
          const how = error.killed ? 'was killed (timeout?)' : `failed: ${error.message}`;
          reject(new Error(`${file} ${args.join(' ')} ${how}\n${tail(stdout)}\n${tail(stderr)}`));
        }
      },
    );
    // A command that exits (or fails to start) before reading its input closes the pipe.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}
