import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

describe('parseConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      redisUrl: undefined,
      inlineMaxN: 4_000_000,
      maxN: 1e14,
      maxBatch: 1000,
      requestTimeoutMs: 60_000,
      shutdownGraceMs: 10_000,
      logLevel: 'info',
      workerConcurrency: 1,
      workerLockDurationMs: 4000,
      workerStalledIntervalMs: 4000,
      queueParallelism: 2,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable it is given, accepting 1e12 notation', () => {
    const config = parseConfig({
      PORT: '0',
      REDIS_URL: 'redis://redis:6379/2',
      MAX_N: '1e9',
      LOG_LEVEL: 'DEBUG',
      WORKER_LOCK_DURATION_MS: '2000',
    });
    expect(config).toMatchObject({
      port: 0,
      redisUrl: 'redis://redis:6379/2',
      maxN: 1e9,
      logLevel: 'debug',
      workerLockDurationMs: 2000,
    });
  });

  it('names every bad variable and what is allowed, without echoing a Redis URL', () => {
    let error: unknown;
    try {
      parseConfig({
        PORT: '70000',
        INLINE_MAX_N: '4000001',
        MAX_N: '1e15',
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
      'PORT must be an integer from 0 to 65535, got "70000"',
      'REDIS_URL must be a redis:// or rediss:// URL',
      'INLINE_MAX_N must be an integer from 0 to 4000000, got "4000001"',
      'MAX_N must be an integer from 1 to 100000000000000, got "1e15"',
      'MAX_BATCH must be an integer from 1 to 5000, got "1.5"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
    expect(message).not.toContain('secret');
  });

  it('takes a readable REDIS_TLS_CA_FILE for a rediss:// URL, and names what is wrong otherwise', () => {
    const ca = fileURLToPath(import.meta.url);
    expect(
      parseConfig({ REDIS_URL: 'rediss://redis:6378', REDIS_TLS_CA_FILE: ca }).redisTlsCaFile,
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
    expect(parseConfig({}).tls).toBeUndefined();
    expect(parseConfig({ TLS_CERT_FILE: file, TLS_KEY_FILE: file }).tls).toEqual({
      certFile: file,
      keyFile: file,
      clientCaFile: undefined,
      reloadMs: 60_000,
    });
    expect(
      parseConfig({
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

function problems(env: Record<string, string>): readonly string[] {
  try {
    parseConfig(env);
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
    expect(parseConfig({ REDIS_URL_FILE: secret }).redisUrl).toBe('redis://:s3cret@redis:6379/1');
  });

  it('is refused when the file cannot be read, or when the variable is given too', () => {
    expect(() => parseConfig({ REDIS_URL_FILE: join(dir, 'nope') })).toThrow(
      /REDIS_URL_FILE must name a readable file/,
    );
    expect(() => parseConfig({ REDIS_URL_FILE: secret, REDIS_URL: 'redis://other:6379' })).toThrow(
      /REDIS_URL and REDIS_URL_FILE are both set/,
    );
  });

  it('never shows a secret in a message', () => {
    writeFileSync(secret, 'http://:s3cret@redis\n');
    let message = '';
    try {
      parseConfig({ REDIS_URL_FILE: secret });
    } catch (error) {
      message = (error as ConfigError).message;
    }
    expect(message).toContain('REDIS_URL must be a redis:// or rediss:// URL');
    expect(message).not.toContain('s3cret');
  });
});

describe('rate limits and API keys', () => {
  it('are off unless RATE_LIMIT_CPU_SECONDS, AUTH_KEYS_FILE or AUTH_JWKS_URL are set', () => {
    expect(parseConfig({})).toMatchObject({
      rateLimit: undefined,
      authKeysFile: undefined,
      jwt: undefined,
    });
    expect(parseConfig({ RATE_LIMIT_CPU_SECONDS: '120' }).rateLimit).toEqual({
      cpuSeconds: 120,
      windowSeconds: 60,
    });
    expect(() => parseConfig({ AUTH_KEYS_FILE: '/nonexistent/keys.json' })).toThrow(
      /AUTH_KEYS_FILE must name a readable file/,
    );
    const jwt = {
      AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
      AUTH_JWT_ISSUER: 'https://id.example.com/',
      AUTH_JWT_AUDIENCE: 'twelvefa',
    };
    expect(parseConfig(jwt).jwt).toEqual({
      jwksUrl: jwt.AUTH_JWKS_URL,
      issuer: jwt.AUTH_JWT_ISSUER,
      audience: 'twelvefa',
      requireExp: true,
      maxLifetimeSeconds: 86_400,
    });
    expect(
      parseConfig({ ...jwt, AUTH_JWT_REQUIRE_EXP: 'false', AUTH_JWT_MAX_LIFETIME_S: '3600' }).jwt,
    ).toMatchObject({ requireExp: false, maxLifetimeSeconds: 3600 });
    expect(() => parseConfig({ ...jwt, AUTH_JWT_MAX_LIFETIME_S: '0' })).toThrow(
      /AUTH_JWT_MAX_LIFETIME_S/,
    );
    expect(() => parseConfig({ ...jwt, AUTH_JWT_AUDIENCE: '' })).toThrow(
      /AUTH_JWKS_URL, AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE must be set together/,
    );
    expect(() => parseConfig({ ...jwt, AUTH_JWKS_URL: 'ftp://x' })).toThrow(
      /AUTH_JWKS_URL must be an http:\/\/ or https:\/\/ URL of a JWKS/,
    );
  });
});
