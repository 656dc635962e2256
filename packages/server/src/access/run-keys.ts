import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Environment } from '../config/env-reader.js';
import { exitWithUsageError, parseBinArguments } from '../process/bin-arguments.js';
import { CALC_METHODS } from '../request/calc-calls.js';
import {
  type ApiKeyEntry,
  type ApiKeysFile,
  formatApiKeysFile,
  generateApiKey,
  hashApiKey,
  parseApiKeysFile,
} from './api-keys.js';

class UsageError extends Error {}

function readKeys(path: string): ApiKeysFile {
  if (!existsSync(path)) return { keys: [] };
  try {
    return parseApiKeysFile(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

/** Replaces the file in one rename, so the API never reads half a file. */
function writeKeys(path: string, file: ApiKeysFile): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, formatApiKeysFile(file), { mode: 0o600 });
  renameSync(temporary, path);
}

function parseMethods(value: string | undefined): ApiKeyEntry['methods'] {
  if (value === undefined) return CALC_METHODS;
  const methods = value.split(',').map((method) => method.trim());
  const unknown = methods.filter((method) => !CALC_METHODS.some((known) => known === method));
  if (unknown.length > 0) {
    throw new UsageError(`--methods takes ${CALC_METHODS.join(', ')}, got ${unknown.join(', ')}`);
  }
  return CALC_METHODS.filter((method) => methods.includes(method));
}

function add(path: string, client: string | undefined, values: Record<string, unknown>): void {
  if (client === undefined) throw new UsageError('add needs the CLIENT the key is for');
  const limit = values['rate-limit-cpu-seconds'];
  const rateLimitCpuSeconds = limit === undefined ? undefined : Number(limit);
  const key = generateApiKey();
  const entry = {
    client,
    sha256: hashApiKey(key),
    methods: parseMethods(values.methods as string | undefined),
    ...(rateLimitCpuSeconds !== undefined && { rateLimitCpuSeconds }),
  };
  const file = readKeys(path);
  let next: ApiKeysFile;
  try {
    // Parsing the new file checks the entry as the API will (client name, limit).
    next = parseApiKeysFile(JSON.stringify({ keys: [...file.keys, entry] }));
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^keys\[\d+\]\./, ''));
  }
  writeKeys(path, next);
  process.stderr.write(
    `twelvefa-keys: added a key for "${client}" to ${path}; it is shown once:\n`,
  );
  process.stdout.write(`${key}\n`);
}

function revoke(path: string, client: string | undefined, prefix: string | undefined): void {
  if ((client === undefined) === (prefix === undefined)) {
    throw new UsageError('revoke takes a CLIENT or --sha256 PREFIX');
  }
  if (prefix !== undefined && !/^[0-9a-f]{8,64}$/.test(prefix)) {
    throw new UsageError('--sha256 takes at least 8 lowercase hex digits of the hash');
  }
  const file = readKeys(path);
  const doomed = file.keys.filter((entry) =>
    client !== undefined ? entry.client === client : entry.sha256.startsWith(prefix as string),
  );
  if (doomed.length === 0) throw new Error(`no key matches in ${path}`);
  if (prefix !== undefined && doomed.length > 1) {
    throw new UsageError(`--sha256 ${prefix} matches ${doomed.length} keys: give more digits`);
  }
  writeKeys(path, { keys: file.keys.filter((entry) => !doomed.includes(entry)) });
  process.stderr.write(`twelvefa-keys: revoked ${doomed.length} key(s) in ${path}\n`);
}

function list(path: string): void {
  for (const entry of readKeys(path).keys) {
    const limit =
      entry.rateLimitCpuSeconds === undefined ? '' : `  ${entry.rateLimitCpuSeconds} CPU-s`;
    process.stdout.write(
      `${entry.client}  ${entry.sha256.slice(0, 12)}  ${entry.methods.join(',')}${limit}\n`,
    );
  }
}

/** The `twelvefa-keys` admin command; exits 2 on a usage error, 1 on any other. */
export function runKeys(env: Environment, argv: readonly string[]): void {
  // `twelvefa-keys list | head` closing the pipe early is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  const { values, positionals } = parseBinArguments(
    'twelvefa-keys',
    argv,
    {
      file: { type: 'string' },
      methods: { type: 'string' },
      'rate-limit-cpu-seconds': { type: 'string' },
      sha256: { type: 'string' },
    },
    true,
  );
  try {
    const path = values.file ?? env.AUTH_KEYS_FILE;
    if (path === undefined || path === '')
      throw new UsageError('give --file or set AUTH_KEYS_FILE');
    const [command, client, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
    if (command === 'add') add(path, client, values);
    else if (command === 'revoke') revoke(path, client, values.sha256);
    else if (command === 'list') list(path);
    else
      throw new UsageError(command === undefined ? 'a command is needed' : `no command ${command}`);
  } catch (error) {
    if (error instanceof UsageError) exitWithUsageError('twelvefa-keys', error.message);
    process.stderr.write(`twelvefa-keys: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
