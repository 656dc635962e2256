import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TRACE_WARNINGS, watchStream } from '@twelvefa/test-support';

/** calcli's entry point as built by `tsc`; end-to-end tests run what ships. */
export const CALCLI_BIN = fileURLToPath(new URL('../../dist/bin/calcli.js', import.meta.url));

export interface CalcliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CalcliOptions {
  /** Written to stdin, which is then closed (a pipe, not a terminal). */
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

function assertBuilt(): void {
  if (!existsSync(CALCLI_BIN)) {
    throw new Error(`${CALCLI_BIN} is missing: run npm run build -w @twelvefa/cli first`);
  }
}

/** What a child has written so far, growing as it writes. */
export interface CapturedOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Collects a child's stdout and stderr as text. */
export function captureOutput(child: ChildProcessWithoutNullStreams): CapturedOutput {
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  return output;
}

/** Runs calcli to completion with piped stdio. */
export function runCalcli(
  args: readonly string[],
  options: CalcliOptions = {},
): Promise<CalcliRun> {
  const child = spawnCalcli(args, options.env);
  child.stdin.end(options.input ?? '');
  const output = captureOutput(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout: output.stdout, stderr: output.stderr }));
  });
}

/**
 * Starts calcli with piped stdio, for tests that feed stdin over time. A Node warning on its
 * stderr fails the test (test-support's fail-on-node-warnings).
 */
export function spawnCalcli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): ChildProcessWithoutNullStreams {
  assertBuilt();
  const child = spawn(process.execPath, [CALCLI_BIN, ...args], {
    env: {
      ...TRACE_WARNINGS,
      ...process.env,
      TWELVEFA_ADDRESS: '',
      TWELVEFA_API_KEY: '',
      ...env,
    },
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  watchStream(`calcli ${args.join(' ')} (pid ${child.pid}) stderr`, child.stderr, 'any', exited);
  return child;
}
