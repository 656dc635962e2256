import type { CalcConnection } from './calc-connection.js';
import type { Command } from './command.js';
import type { ProgressListener } from './grpc-calls.js';
import { commandHelp } from './help-text.js';
import { formatResult, type OutputFormat } from './result-format.js';

/** What a command needs to run. */
export interface ExecuteContext {
  readonly connection: CalcConnection;
  readonly format: OutputFormat;
  readonly stdout: NodeJS.WritableStream;
  /** Aborting it cancels the request in flight. */
  readonly signal?: AbortSignal;
  /** Called when the result is in, just before it is printed (to clear a spinner). */
  readonly beforePrint?: () => void;
  /** The input line the command came from (scripts): --json output carries it. */
  readonly line?: number;
  /** Told an np or pi call's progress, when the server streams it (the REPL's progress bar). */
  readonly onProgress?: ProgressListener;
  /** Clears the terminal (the REPL); scripts have none, so that `clear` leaves their output alone. */
  readonly clearScreen?: () => void;
}

/**
 * Runs one command and prints its result on stdout. Returns `exit` for the
 * exit command; failures are thrown for the caller to report.
 */
export async function executeCommand(
  command: Command,
  context: ExecuteContext,
): Promise<'continue' | 'exit'> {
  switch (command.kind) {
    case 'exit':
      return 'exit';
    case 'clear':
      context.clearScreen?.();
      return 'continue';
    case 'help':
      context.stdout.write(`${commandHelp(command.topic)}\n`);
      return 'continue';
    default: {
      const result = await context.connection.calculate(
        command,
        context.signal,
        context.onProgress,
      );
      context.beforePrint?.();
      context.stdout.write(`${formatResult(result, context.format, context.line)}\n`);
      return 'continue';
    }
  }
}
