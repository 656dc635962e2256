import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseApiConfig } from '../src/config/api-config.js';
import { ConfigError } from '../src/config/env-reader.js';
import { parseWorkerConfig } from '../src/config/worker-config.js';

describe('parseApiConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = parseApiConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      redis: undefined,
      inlineMaxN: 4_000_000,
      maxN: 10n ** 16n,
      maxX: 5n * 10n ** 17n,
      maxBatch: 1000,
      requestTimeoutMs: 60_000,
      shutdownGraceMs: 10_000,
      logLevel: 'info',
      queueParallelism: 2,
    });
    // The worker's own variables are not the API's.
    expect(config).not.toHaveProperty('workerConcurrency');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable it is given, accepting 1e12 notation', () => {
    const config = parseApiConfig({
      PORT: '0',
      REDIS_URL: 'redis://redis:6379/2',
      MAX_N: '1e9',
      MAX_X: '123456789012345678',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toMatchObject({
      port: 0,
      redis: { url: 'redis://redis:6379/2' },
      maxN: 1_000_000_000n,
      maxX: 123_456_789_012_345_678n,
      logLevel: 'debug',
    });
  });

  it('names every bad variable and what is allowed, without echoing a Redis URL', () => {
    let error: unknown;
    try {
      parseApiConfig({
        PORT: '70000',
        INLINE_MAX_N: '4000001',
        MAX_N: '1e17',
        LOG_LEVEL: 'loud',
        REDIS_URL: 'http://user:secret@host',
        MAX_BATCH: '1.5',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = String((error as ConfigError).message);
    expect((error as ConfigError).problems).toEqual([
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'PORT must be an integer from 0 to 65535, got "70000"',
      'REDIS_URL must be a redis:// or rediss:// URL',
      'INLINE_MAX_N must be an integer from 0 to 4000000, got "4000001"',
      'MAX_N must be an integer from 1 to 10000000000000000, got "1e17"',
      'MAX_BATCH must be an integer from 1 to 5000, got "1.5"',
    ]);
    expect(message).not.toContain('secret');
  });

  it('takes a readable REDIS_TLS_CA_FILE for a rediss:// URL, and names what is wrong otherwise', () => {
    const ca = fileURLToPath(import.meta.url);
    expect(
      parseApiConfig({ REDIS_URL: 'rediss://redis:6378', REDIS_TLS_CA_FILE: ca }).redis?.tlsCaFile,
    ).toBe(ca);
    expect(
      problems({ REDIS_URL: 'rediss://redis:6378', REDIS_TLS_CA_FILE: '/no/such.pem' }),
    ).toEqual(['REDIS_TLS_CA_FILE must name a readable file, got "/no/such.pem"']);
    expect(problems({ REDIS_URL: 'redis://redis:6379', REDIS_TLS_CA_FILE: ca })).toEqual([
      'REDIS_TLS_CA_FILE is set, but REDIS_URL is not a rediss:// URL',
    ]);
  });

  it('serves plaintext by default, TLS with TLS_CERT_FILE and TLS_KEY_FILE, mTLS with TLS_CLIENT_CA_FILE', () => {
    const file = fileURLToPath(import.meta.url);
    expect(parseApiConfig({}).tls).toBeUndefined();
    expect(parseApiConfig({ TLS_CERT_FILE: file, TLS_KEY_FILE: file }).tls).toEqual({
      certFile: file,
      keyFile: file,
      clientCaFile: undefined,
      reloadMs: 60_000,
    });
    expect(
      parseApiConfig({
        TLS_CERT_FILE: file,
        TLS_KEY_FILE: file,
        TLS_CLIENT_CA_FILE: file,
        TLS_RELOAD_MS: '500',
      }).tls,
    ).toMatchObject({ clientCaFile: file, reloadMs: 500 });
    expect(problems({ TLS_CERT_FILE: file })).toEqual([
      'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    ]);
    expect(problems({ TLS_CLIENT_CA_FILE: file })).toEqual([
      'TLS_CLIENT_CA_FILE needs TLS_CERT_FILE and TLS_KEY_FILE: mTLS is TLS first',
    ]);
    expect(problems({ TLS_CERT_FILE: '/no/cert.pem', TLS_KEY_FILE: file })).toEqual([
      'TLS_CERT_FILE must name a readable file, got "/no/cert.pem"',
    ]);
  });
});

describe('parseWorkerConfig', () => {
  it("reads the worker's own variables with their defaults, and needs REDIS_URL", () => {
    const config = parseWorkerConfig({
      REDIS_URL: 'redis://redis:6379',
      WORKER_LOCK_DURATION_MS: '2000',
    });
    expect(config).toMatchObject({
      redis: { url: 'redis://redis:6379' },
      workerConcurrency: 1,
      workerLockDurationMs: 2000,
      workerStalledIntervalMs: 4000,
      shutdownGraceMs: 10_000,
      queueName: 'nth-prime',
    });
    expect(config).not.toHaveProperty('port');
    expect(() => parseWorkerConfig({})).toThrow(
      /REDIS_URL is required \(a redis:\/\/ or rediss:\/\/ URL\)/,
    );
  });

  it('never reads what only the API needs: a bad AUTH_KEYS_FILE does not stop a worker', () => {
    expect(() =>
      parseWorkerConfig({ REDIS_URL: 'redis://redis:6379', AUTH_KEYS_FILE: '/no/keys.json' }),
    ).not.toThrow();
  });
});

function problems(env: Record<string, string>): readonly string[] {
  try {
    parseApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('a variable given as a file (NAME_FILE, the Docker and Kubernetes secrets convention)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twelvefa-config-'));
  const secret = join(dir, 'redis-url');
  writeFileSync(secret, 'redis://:s3cret@redis:6379/1\n');

  it('is read from the file, without its trailing newline', () => {
    expect(parseApiConfig({ REDIS_URL_FILE: secret }).redis?.url).toBe(
      'redis://:s3cret@redis:6379/1',
    );
  });

  it('is refused when the file cannot be read, or when the variable is given too', () => {
    expect(() => parseApiConfig({ REDIS_URL_FILE: join(dir, 'nope') })).toThrow(
      /REDIS_URL_FILE must name a readable file/,
    );
    expect(() =>
      parseApiConfig({ REDIS_URL_FILE: secret, REDIS_URL: 'redis://other:6379' }),
    ).toThrow(/REDIS_URL and REDIS_URL_FILE are both set/);
  });

  it('never shows a secret in a message', () => {
    writeFileSync(secret, 'http://:s3cret@redis\n');
    let message = '';
    try {
      parseApiConfig({ REDIS_URL_FILE: secret });
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message).toContain('REDIS_URL must be a redis:// or rediss:// URL');
    expect(message).not.toContain('s3cret');
  });
});

describe('rate limits and API keys', () => {
  it('are off unless RATE_LIMIT_CPU_SECONDS, AUTH_KEYS_FILE or AUTH_JWKS_URL are set', () => {
    expect(parseApiConfig({})).toMatchObject({
      rateLimit: undefined,
      authKeysFile: undefined,
      jwt: undefined,
    });
    expect(parseApiConfig({ RATE_LIMIT_CPU_SECONDS: '120' }).rateLimit).toEqual({
      cpuSeconds: 120,
      windowSeconds: 60,
    });
    expect(() => parseApiConfig({ AUTH_KEYS_FILE: '/nonexistent/keys.json' })).toThrow(
      /AUTH_KEYS_FILE must name a readable file/,
    );
    const jwt = {
      AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
      AUTH_JWT_ISSUER: 'https://id.example.com/',
      AUTH_JWT_AUDIENCE: 'twelvefa',
    };
    expect(parseApiConfig(jwt).jwt).toEqual({
      jwksUrl: jwt.AUTH_JWKS_URL,
      issuer: jwt.AUTH_JWT_ISSUER,
      audience: 'twelvefa',
      requireExp: true,
      maxLifetimeSeconds: 86_400,
    });
    expect(
      parseApiConfig({ ...jwt, AUTH_JWT_REQUIRE_EXP: 'false', AUTH_JWT_MAX_LIFETIME_S: '3600' })
        .jwt,
    ).toMatchObject({ requireExp: false, maxLifetimeSeconds: 3600 });
    expect(() => parseApiConfig({ ...jwt, AUTH_JWT_MAX_LIFETIME_S: '0' })).toThrow(
      /AUTH_JWT_MAX_LIFETIME_S/,
    );
    expect(() => parseApiConfig({ ...jwt, AUTH_JWT_AUDIENCE: '' })).toThrow(
      /AUTH_JWKS_URL, AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE must be set together/,
    );
    expect(() => parseApiConfig({ ...jwt, AUTH_JWKS_URL: 'ftp://x' })).toThrow(
      /AUTH_JWKS_URL must be an http:\/\/ or https:\/\/ URL of a JWKS/,
    );
  });
});
