import { parseArgs } from 'node:util';
import { parseAddress, type ServerAddress } from './address.js';
import { COMMAND_NAMES, type CommandName, isCommandName } from './commands.js';
import { parseDuration } from './duration.js';
import { nearestWord } from './nearest-word.js';
import { describeOptionError } from './option-error.js';
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
  /** --cert and --key: PEM files of a client certificate and its key (mutual TLS). */
  readonly clientCertificateFiles?: { readonly cert: string; readonly key: string };
  /** --insecure: TLS without checking the server's certificate. */
  readonly insecure: boolean;
  /** --authority: the :authority and TLS server name to send. */
  readonly authority?: string;
  /** -H 'name: value', in order, then the API key's authorization header. */
  readonly headers: readonly (readonly [name: string, value: string | Buffer])[];
  /** --max-time: each call's deadline. */
  readonly callTimeoutMs?: number;
  /** Commands given with `-e`, in order; empty for the REPL or piped stdin. */
  readonly execute: readonly string[];
  readonly format: OutputFormat;
  /** -v: errors carry grpc-js's own detail too. */
  readonly verbose: boolean;
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
    throw new UsageError(describeOptionError(error, Object.keys(OPTIONS)));
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
        const near = nearestWord(topic, COMMAND_NAMES);
        throw new UsageError(
          `help: no command "${topic}"${near === undefined ? '' : `; did you mean ${near}?`}`,
        );
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
      for (const flag of ['ca', 'cert', 'key', 'insecure'] as const) {
        if (values[flag] !== undefined && !values.tls) {
          throw new UsageError(`--${flag} only applies to TLS; add --tls`);
        }
      }
      if ((values.cert === undefined) !== (values.key === undefined)) {
        throw new UsageError('--cert and --key go together: the certificate and its private key');
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
        ...(values.cert !== undefined && values.key !== undefined
          ? { clientCertificateFiles: { cert: values.cert, key: values.key } }
          : {}),
        insecure: values.insecure ?? false,
        ...(values.authority !== undefined ? { authority: parseAuthority(values.authority) } : {}),
        headers: withApiKey(
          (values.header ?? []).map(parseHeader),
          values['api-key'] ?? env.TWELVEFA_API_KEY,
        ),
        ...(values['max-time'] !== undefined
          ? { callTimeoutMs: parseDuration('--max-time', values['max-time']) }
          : {}),
        execute: values.execute ?? [],
        format: values.json ? 'json' : 'text',
        verbose: values.verbose ?? false,
      };
    }
    default: {
      const near = nearestWord(command, ['connect', 'help']);
      throw new UsageError(
        `unknown command "${command}"; ${near === undefined ? 'use connect or help' : `did you mean ${near}?`}`,
      );
    }
  }
}

/** calcli's options, as node:util's parseArgs takes them. */
const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  tls: { type: 'boolean' },
  ca: { type: 'string' },
  timeout: { type: 'string' },
  execute: { type: 'string', short: 'e', multiple: true },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  cert: { type: 'string' },
  key: { type: 'string' },
  insecure: { type: 'boolean' },
  authority: { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  'max-time': { type: 'string' },
  'api-key': { type: 'string' },
} as const;

/**
 * Whether the command line asks for --json, read leniently (unknown options and all), so that a
 * usage error in it can be reported the way the caller reads output.
 */
export function asksForJson(argv: readonly string[]): boolean {
  try {
    const { values } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: false,
      options: OPTIONS,
    });
    return values.json === true;
  } catch {
    return false;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
}

/**
 * `-H 'name: value'` as gRPC metadata: the name lower-cased and checked, a `-bin` name's value
 * read as base64, as grpcurl does. `grpc-` names belong to the protocol.
 */
function parseHeader(text: string): readonly [string, string | Buffer] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`-H "${text}": write it as "name: value"`);
  const name = text.slice(0, colon).trim().toLowerCase();
  const value = text.slice(colon + 1).trim();
  if (!/^[0-9a-z_.-]+$/.test(name)) {
    throw new UsageError(`-H "${text}": a header name has only a-z, 0-9, "-", "_" and "."`);
  }
  if (name.startsWith('grpc-')) {
    throw new UsageError(
      `-H "${text}": grpc- headers belong to the protocol (use --max-time for a deadline)`,
    );
  }
  if (name.endsWith('-bin')) return [name, Buffer.from(value, 'base64')];
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw new UsageError(
      `-H "${text}": a text header value is printable ASCII (binary goes in a -bin header, base64)`,
    );
  }
  return [name, value];
}

/** The headers, and `authorization: Bearer <key>` when an API key is given. */
function withApiKey(
  headers: readonly (readonly [string, string | Buffer])[],
  key: string | undefined,
): readonly (readonly [string, string | Buffer])[] {
  if (key === undefined || key === '') return headers;
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new UsageError('the API key has a space or a character that is not printable ASCII');
  }
  if (headers.some(([name]) => name === 'authorization')) {
    throw new UsageError(
      'give the API key once: --api-key (or $TWELVEFA_API_KEY) or -H authorization',
    );
  }
  return [...headers, ['authorization', `Bearer ${key}`]];
}

function parseAuthority(text: string): string {
  if (!/^[^\s/]+$/.test(text)) throw new UsageError(`--authority "${text}" is not a host name`);
  return text;
}
