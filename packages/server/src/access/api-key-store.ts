import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/env-reader.js';
import type { Logger } from '../logger.js';
import { type ApiKeyEntry, hashApiKey, parseApiKeysFile } from './api-keys.js';

/**
 * The keys of AUTH_KEYS_FILE, read again every `reloadMs` so that adding, rotating or revoking a
 * key needs no restart (a Kubernetes Secret's mounted file changes in place). A file that stops
 * parsing is logged and the keys read last stay in force: a bad edit must not lock every client
 * out, nor let anyone in.
 */
export class ApiKeyStore {
  private byHash = new Map<string, ApiKeyEntry>();
  private allowances = new Map<string, number>();
  private text = '';
  private readonly timer: NodeJS.Timeout;

  /** Reads the file once; throws ConfigError if it cannot be read or parsed: a bad start fails loudly. */
  constructor(
    private readonly path: string,
    reloadMs: number,
    private readonly logger: Logger,
  ) {
    try {
      this.load(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ConfigError([`AUTH_KEYS_FILE ${path}: ${(error as Error).message}`]);
    }
    this.timer = setInterval(() => this.reload(), reloadMs);
    this.timer.unref();
  }

  /** The entry of the key a caller presented, if the file lists it. */
  lookup(key: string): ApiKeyEntry | undefined {
    return this.byHash.get(hashApiKey(key));
  }

  /** The rate limit in CPU seconds the keys of `client` set (the first that sets one), if any. */
  allowanceOf(client: string): number | undefined {
    return this.allowances.get(client);
  }

  /** How many keys are in force. */
  get size(): number {
    return this.byHash.size;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private reload(): void {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      this.logger.warn(
        { err: error, path: this.path },
        'cannot read the API keys; keeping the last ones',
      );
      return;
    }
    if (text === this.text) return;
    try {
      this.load(text);
      this.logger.info({ path: this.path, keys: this.byHash.size }, 'API keys reloaded');
    } catch (error) {
      this.logger.warn(
        { path: this.path, problem: (error as Error).message },
        'the API keys file is invalid; keeping the last good keys',
      );
    }
  }

  private load(text: string): void {
    const { keys } = parseApiKeysFile(text);
    this.byHash = new Map(keys.map((entry) => [entry.sha256, entry]));
    this.allowances = new Map();
    for (const { client, rateLimitCpuSeconds } of keys) {
      if (rateLimitCpuSeconds !== undefined && !this.allowances.has(client)) {
        this.allowances.set(client, rateLimitCpuSeconds);
      }
    }
    this.text = text;
  }
}
