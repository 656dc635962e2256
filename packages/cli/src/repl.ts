import type { CalcConnection } from './calc-connection.js';
import { type Command, parseCommand } from './command.js';
import { executeCommand } from './execute-command.js';
import { describeFailure, EXIT_OK } from './failure.js';
import { HistoryNavigator } from './history-navigator.js';
import type { HistoryStore } from './history-store.js';
import { onInterruptKey } from './interrupt-key.js';
import { readLine } from './line-editor.js';
import type { OutputFormat } from './result-format.js';
import { CLEAR_SCREEN } from './screen-control.js';
import { progressStream, startSpinner } from './spinner.js';
import type { Status } from './status-line.js';

/** The prompt: `calc> ` once enquirer adds the space. */
const PROMPT = 'calc>';

export const EXIT_HINT = '(To exit, press Ctrl-C again or Ctrl-D, or type exit)';

export interface ReplOptions {
  readonly connection: CalcConnection;
  readonly history: HistoryStore;
  readonly format: OutputFormat;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** -v: errors carry grpc-js's own detail too. */
  readonly verbose?: boolean;
}

/**
 * The interactive loop: read a line, run it, print the result or a one-line
 * error, and read the next, until exit, Ctrl-D or Ctrl-C twice.
 */
export async function runRepl(options: ReplOptions): Promise<number> {
  const { stdin, stdout, stderr } = options;
  // Keep stdout for results when it is redirected; the prompt then goes to stderr.
  const promptStream = stdout.isTTY ? stdout : stderr;
  // Raw for the whole session: switching back to cooked mode between prompts
  // would let the terminal echo keys typed ahead and hold them until Enter.
  const wasRaw = stdin.isRaw;
  stdin.setRawMode(true);
  try {
    return await loop(options, promptStream);
  } finally {
    stdin.setRawMode(wasRaw);
  }
}

async function loop(options: ReplOptions, promptStream: NodeJS.WriteStream): Promise<number> {
  const { history, stdin, stderr } = options;
  let exitOnInterrupt = false;
  for (;;) {
    const outcome = await readLine({
      prompt: PROMPT,
      history: new HistoryNavigator(history.entries),
      exitOnInterrupt,
      stdin,
      stdout: promptStream,
    });
    exitOnInterrupt = false;
    if (outcome.kind === 'exit') {
      return EXIT_OK;
    }
    if (outcome.kind === 'interrupt') {
      stderr.write(`${EXIT_HINT}\n`);
      exitOnInterrupt = true;
      continue;
    }
    history.add(outcome.text);
    let command: Command | undefined;
    try {
      command = parseCommand(outcome.text);
    } catch (error) {
      stderr.write(`${describeFailure(error, options.verbose).message}\n`);
      continue;
    }
    if (
      command !== undefined &&
      (await runInteractively(command, outcome.text, options, promptStream)) === 'exit'
    ) {
      return EXIT_OK;
    }
  }
}

/** Runs a command with a spinner (and a progress bar when the server streams progress) while it is slow, and Ctrl-C to cancel it. */
async function runInteractively(
  command: Command,
  line: string,
  options: ReplOptions,
  terminal: NodeJS.WriteStream,
): Promise<'continue' | 'exit'> {
  const { connection, format, stdin, stdout, stderr } = options;
  const controller = new AbortController();
  const stopListening = onInterruptKey(stdin, () => controller.abort());
  let parts: Status['parts'];
  const spinnerStream = progressStream(stdout, stderr);
  const stopSpinner = spinnerStream
    ? startSpinner(spinnerStream, () => ({
        text: line.trim(),
        hint: '(Ctrl-C cancels)',
        ...(parts === undefined ? {} : { parts }),
      }))
    : () => undefined;
  try {
    return await executeCommand(command, {
      connection,
      format,
      stdout,
      signal: controller.signal,
      beforePrint: stopSpinner,
      clearScreen: () => terminal.write(CLEAR_SCREEN),
      onProgress: (progress) => {
        parts = {
          done: progress.reduce((sum, item) => sum + item.done, 0),
          total: progress.reduce((sum, item) => sum + item.total, 0),
        };
      },
    });
  } catch (error) {
    stopSpinner();
    const failure = describeFailure(error, options.verbose);
    const hint = failure.connectionLost ? '; the next command reconnects' : '';
    stderr.write(`${failure.message}${hint}\n`);
    return 'continue';
  } finally {
    stopSpinner();
    stopListening();
  }
}
