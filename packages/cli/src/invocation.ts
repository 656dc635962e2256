import { parseArgs } from 'node:util';
import { parseAddress, type ServerAddress } from './address.js';
import { type CommandName, isCommandName } from './commands.js';
import { parseDuration } from './duration.js';
import type { OutputFormat } from './result-format.js';
import { UsageError } from './usage-error.js';

/** Default connect timeout. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/** What the command line asks calcli to do. */
export type Invocation =
  | { readonly kind: 'help'; readonly topic?: CommandName }
  | { readonly kind: 'version' }
  | ConnectInvocation;

export interface ConnectInvocation {
  readonly kind: 'connect';
  readonly address: ServerAddress;
  readonly tls: boolean;
  /** Path of a PEM file with the CA certificates to trust. */
  readonly caFile?: string;
  readonly connectTimeoutMs: number;
  /** Commands given with `-e`, in order; empty for the REPL or piped stdin. */
  readonly execute: readonly string[];
  readonly format: OutputFormat;
}

/**
 * Parses calcli's arguments. `env` supplies TWELVEFA_ADDRESS, the default
 * address. Throws UsageError with a message that says what to fix.
 */
export function parseInvocation(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Invocation {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    return { kind: 'help' };
  }
  if (values.version) {
    return { kind: 'version' };
  }
  const [command = 'connect', ...rest] = positionals;
  switch (command) {
    case 'help': {
      const [topic, ...extra] = rest;
      if (extra.length > 0) {
        throw new UsageError(`help takes at most one command name, got ${rest.length}`);
      }
      if (topic === undefined) {
        return { kind: 'help' };
      }
      if (!isCommandName(topic)) {
        throw new UsageError(`help: no command "${topic}"`);
      }
      return { kind: 'help', topic };
    }
    case 'connect': {
      if (rest.length > 1) {
        throw new UsageError(`connect takes one ADDRESS, got ${rest.length}: ${rest.join(' ')}`);
      }
      const typed = rest[0] ?? env.TWELVEFA_ADDRESS;
      if (typed === undefined || typed === '') {
        throw new UsageError(
          'no server address: pass one (calcli connect localhost:3000) or set TWELVEFA_ADDRESS',
        );
      }
      if (values.ca !== undefined && !values.tls) {
        throw new UsageError('--ca only applies to TLS; add --tls');
      }
      return {
        kind: 'connect',
        address: parseAddress(typed),
        tls: values.tls ?? false,
        ...(values.ca !== undefined ? { caFile: values.ca } : {}),
        connectTimeoutMs:
          values.timeout === undefined
            ? DEFAULT_CONNECT_TIMEOUT_MS
            : parseDuration('--timeout', values.timeout),
        execute: values.execute ?? [],
        format: values.json ? 'json' : 'text',
      };
    }
    default:
      throw new UsageError(`unknown command "${command}"; use connect or help`);
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
      tls: { type: 'boolean' },
      ca: { type: 'string' },
      timeout: { type: 'string' },
      execute: { type: 'string', short: 'e', multiple: true },
      json: { type: 'boolean' },
    },
  });
}
