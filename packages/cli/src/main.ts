import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CalcConnection } from './calc-connection.js';
import { CommandError, parseCommand } from './command.js';
import type { ConnectionOptions } from './connection-options.js';
import { describeFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type Failure } from './failure.js';
import { cliUsage, commandHelp } from './help-text.js';
import { HistoryStore, historyPath } from './history-store.js';
import { asksForJson, type ConnectInvocation, parseInvocation } from './invocation.js';
import { runRepl } from './repl.js';
import { formatJsonError } from './result-format.js';
import { runScript } from './script-runner.js';
import { progressStream, startSpinner } from './spinner.js';
import { UsageError } from './usage-error.js';
import { version } from './version.js';

/** The process streams calcli talks through. */
export interface MainIo {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Runs calcli with the given arguments and environment; resolves to the exit code. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: MainIo,
): Promise<number> {
  try {
    const invocation = parseInvocation(argv, env);
    switch (invocation.kind) {
      case 'help':
        io.stdout.write(
          invocation.topic === undefined ? cliUsage() : `${commandHelp(invocation.topic)}\n`,
        );
        return EXIT_OK;
      case 'version':
        io.stdout.write(`calcli ${version()}\n`);
        return EXIT_OK;
      case 'connect':
        return await connect(invocation, env, io);
    }
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.code === 'USAGE' && asksForJson(argv)) {
      io.stdout.write(`${formatJsonError(failure)}\n`);
      return failure.exitCode;
    }
    const hint = failure.exitCode === EXIT_USAGE ? ' (see calcli --help)' : '';
    io.stderr.write(`calcli: ${failure.message}${hint}\n`);
    return failure.exitCode;
  }
}

async function connect(
  invocation: ConnectInvocation,
  env: Readonly<Record<string, string | undefined>>,
  io: MainIo,
): Promise<number> {
  // Check -e commands before connecting, so that a typo is a usage error.
  const invalid = invalidCommands(invocation.execute);
  const [firstInvalid] = invalid;
  if (firstInvalid !== undefined) {
    if (invocation.format !== 'json') {
      const { line, error } = firstInvalid;
      throw new UsageError(`-e "${line}": ${error.message}`);
    }
    // As a script's errors in JSON: one object per failed line on stdout, with its number.
    for (const { index, error } of invalid) {
      io.stdout.write(`${formatJsonError(describeFailure(error), index)}\n`);
    }
    return EXIT_USAGE;
  }
  const interactive = invocation.execute.length === 0 && io.stdin.isTTY === true;
  const connection = await open(
    connectionOptions(invocation),
    interactive ? progressStream(io.stdout, io.stderr) : undefined,
  );
  try {
    if (interactive) {
      const history = HistoryStore.load(historyPath(env));
      history.onError((error) =>
        io.stderr.write(`calcli: history is not saved: ${error.message}\n`),
      );
      return await runRepl({
        connection,
        history,
        format: invocation.format,
        verbose: invocation.verbose,
        ...io,
      });
    }
    if (invocation.execute.length > 0) {
      const single = invocation.execute.length === 1;
      const failures = await runScript(invocation.execute, {
        connection,
        format: invocation.format,
        stdout: io.stdout,
        stderr: io.stderr,
        verbose: invocation.verbose,
        locate: (index) => (single ? '' : `-e #${index}: `),
      });
      return single ? (failures[0]?.exitCode ?? EXIT_OK) : scriptExitCode(failures);
    }
    const lines = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    try {
      const failures = await runScript(lines, {
        connection,
        format: invocation.format,
        stdout: io.stdout,
        stderr: io.stderr,
        verbose: invocation.verbose,
        locate: (index) => `line ${index}: `,
      });
      return scriptExitCode(failures);
    } finally {
      lines.close();
    }
  } finally {
    connection.close();
  }
}

/** The -e commands that do not parse, each with its position (from 1) and why. */
function invalidCommands(
  lines: readonly string[],
): { readonly index: number; readonly line: string; readonly error: CommandError }[] {
  return lines.flatMap((line, position) => {
    try {
      parseCommand(line);
      return [];
    } catch (error) {
      if (error instanceof CommandError) return [{ index: position + 1, line, error }];
      throw error;
    }
  });
}

function scriptExitCode(failures: readonly Failure[]): number {
  return failures.length > 0 ? EXIT_FAILURE : EXIT_OK;
}

function connectionOptions(invocation: ConnectInvocation): ConnectionOptions {
  const { address, tls, caFile, clientCertificateFiles, connectTimeoutMs } = invocation;
  const { insecure, authority, headers, callTimeoutMs } = invocation;
  return {
    address,
    tls,
    connectTimeoutMs,
    insecure,
    headers,
    ...(authority !== undefined ? { authority } : {}),
    ...(callTimeoutMs !== undefined ? { callTimeoutMs } : {}),
    ...(caFile !== undefined ? { ca: readPem('--ca', caFile) } : {}),
    ...(clientCertificateFiles !== undefined
      ? {
          clientCertificate: {
            cert: readPem('--cert', clientCertificateFiles.cert),
            key: readPem('--key', clientCertificateFiles.key),
          },
        }
      : {}),
  };
}

function readPem(flag: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`cannot read ${flag} ${file}: ${reason}`);
  }
}

/** Connects, with a spinner on `progress` (a terminal) while the server is slow to answer. */
async function open(
  options: ConnectionOptions,
  progress: NodeJS.WriteStream | undefined,
): Promise<CalcConnection> {
  const stop =
    progress === undefined
      ? () => undefined
      : startSpinner(progress, { text: `connecting to ${options.address.display}` });
  try {
    return await CalcConnection.open(options);
  } finally {
    stop();
  }
}
