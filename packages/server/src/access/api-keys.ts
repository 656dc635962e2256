// API keys and the file that lists them (AUTH_KEYS_FILE). A key is a random secret the client
// sends as `authorization: Bearer <key>`; the file keeps only each key's SHA-256, so a leaked
// file or Secret lets nobody call. A fast hash is the right one here: keys are 256 random bits,
// not passwords, so there is nothing for a slow hash to protect against guessing.
import { createHash, randomBytes } from 'node:crypto';
import { CALC_METHODS, type CalcMethod } from '../request/calc-calls.js';

/** What the server knows about one key. */
export interface ApiKeyEntry {
  /**
   * Who holds the key: logged, recorded in the event log and used for its rate limit as
   * `key:<client>` (client-identity.ts), so no JWT subject can pass for it. A client may hold
   * several keys (while one is rotated); they share its rate limit.
   */
  readonly client: string;
  /** Hex SHA-256 of the key. */
  readonly sha256: string;
  /** The methods the key may call (a Watch RPC counts as its method); all when absent. */
  readonly methods: readonly CalcMethod[];
  /** The client's rate limit in CPU seconds per window, instead of RATE_LIMIT_CPU_SECONDS. */
  readonly rateLimitCpuSeconds?: number;
}

const KEY_PREFIX = 'tfa_';
const CLIENT_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A new key: the prefix makes it recognisable to secret scanners and people alike. */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The hex SHA-256 of a key, as the keys file stores it. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The keys file's JSON shape: `{ "keys": [ApiKeyEntry, ...] }`. */
export interface ApiKeysFile {
  readonly keys: readonly ApiKeyEntry[];
}

/** Parses and checks a keys file's text; throws an Error naming what is wrong and where. */
export function parseApiKeysFile(text: string): ApiKeysFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON: ${(error as Error).message}`);
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('expected an object with a "keys" array');
  const hashes = new Set<string>();
  const entries = keys.map((value: unknown, index): ApiKeyEntry => {
    const where = `keys[${index}]`;
    const entry = (value ?? {}) as Record<string, unknown>;
    const { client, sha256, methods, rateLimitCpuSeconds } = entry;
    if (typeof client !== 'string' || !CLIENT_NAME.test(client)) {
      throw new Error(`${where}.client must be 1-64 letters, digits or _ . @ -`);
    }
    if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) {
      throw new Error(
        `${where}.sha256 must be 64 lowercase hex digits (twelvefa-keys add prints it)`,
      );
    }
    // A client may hold several keys: a rotation adds the new one before revoking the old.
    if (hashes.has(sha256)) throw new Error(`${where}: the same key is listed twice`);
    hashes.add(sha256);
    const allowed = methods === undefined ? CALC_METHODS : methods;
    if (
      !Array.isArray(allowed) ||
      !allowed.every((method) => CALC_METHODS.includes(method as CalcMethod))
    ) {
      throw new Error(`${where}.methods must be a list of ${CALC_METHODS.join(', ')}`);
    }
    if (
      rateLimitCpuSeconds !== undefined &&
      (typeof rateLimitCpuSeconds !== 'number' || !(rateLimitCpuSeconds > 0))
    ) {
      throw new Error(`${where}.rateLimitCpuSeconds must be a positive number`);
    }
    return {
      client,
      sha256,
      methods: allowed as CalcMethod[],
      ...(rateLimitCpuSeconds !== undefined && { rateLimitCpuSeconds }),
    };
  });
  return { keys: entries };
}

/** A keys file's text, one entry per line so that diffs of it read well. */
export function formatApiKeysFile(file: ApiKeysFile): string {
  const lines = file.keys.map((entry) => `    ${JSON.stringify(entry)}`);
  return `{\n  "keys": [\n${lines.join(',\n')}\n  ]\n}\n`;
}
