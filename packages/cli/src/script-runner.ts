import type { CalcConnection } from './calc-connection.js';
import { parseCommand } from './command.js';
import { executeCommand } from './execute-command.js';
import { describeFailure, type Failure } from './failure.js';
import { formatJsonError, type OutputFormat } from './result-format.js';

export interface ScriptOptions {
  readonly connection: CalcConnection;
  readonly format: OutputFormat;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** How an error message names the line it is about, e.g. `line 3: `. */
  readonly locate: (index: number) => string;
  /** -v: errors carry grpc-js's own detail too. */
  readonly verbose?: boolean;
}

/**
 * Runs commands one after another (piped stdin or `-e`), printing results in
 * order on stdout and errors on stderr (with --json, both on stdout as one object per line,
 * each carrying its input line number), and going on after a failure. Stops at `exit`.
 * Returns the failures.
 */
export async function runScript(
  lines: AsyncIterable<string> | Iterable<string>,
  options: ScriptOptions,
): Promise<Failure[]> {
  const failures: Failure[] = [];
  let index = 0;
  for await (const line of lines) {
    index += 1;
    try {
      const command = parseCommand(line);
      if (command === undefined) {
        continue;
      }
      const next = await executeCommand(command, { ...options, line: index });
      if (next === 'exit') {
        break;
      }
    } catch (error) {
      const failure = describeFailure(error, options.verbose);
      failures.push(failure);
      if (options.format === 'json') {
        options.stdout.write(`${formatJsonError(failure, index)}\n`);
      } else {
        options.stderr.write(`${options.locate(index)}${failure.message}\n`);
      }
    }
  }
  return failures;
}
