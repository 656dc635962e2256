import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { BinName } from '../config/config-variables.js';
import { helpText, serverVersion } from './bin-help.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Every bin takes these; they print and exit before anything is started or configured. */
const HELP_AND_VERSION = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** Exits 2 (a usage error) with one line saying what is wrong and where the usage is. */
export function exitWithUsageError(bin: BinName, problem: string): never {
  process.stderr.write(`${bin}: ${problem}; see ${bin} --help\n`);
  process.exit(2);
}

/** parseArgs' message without its advice on positionals: "unknown option '--x'". */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const [first = message] = message.split('. ');
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** What parseArgs returns for `options` (help and version are handled before). */
export type BinArguments<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

/**
 * Reads a bin's command line: --help (-h) prints its help and --version (-V) its version, and
 * exit 0; an unknown option or a stray argument exits 2. Otherwise returns the other options'
 * values and, when `allowPositionals`, the positionals.
 */
export function parseBinArguments<const O extends Options = Record<never, never>>(
  bin: BinName,
  argv: readonly string[],
  options: O = {} as O,
  allowPositionals = false,
): BinArguments<O> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, ...HELP_AND_VERSION },
      strict: true,
      allowPositionals,
    });
  } catch (error) {
    exitWithUsageError(bin, describeParseError(error));
  }
  if (parsed.values.help) {
    process.stdout.write(helpText(bin));
    process.exit(0);
  }
  if (parsed.values.version) {
    process.stdout.write(`${bin} ${serverVersion()}\n`);
    process.exit(0);
  }
  return parsed as BinArguments<O>;
}
