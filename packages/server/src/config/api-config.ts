// The `twelvefa` API process's configuration. The worker, the dashboard and the event reader
// parse their own (worker-config.ts, ...), from the same readers for what they share.
import { availableParallelism } from 'node:os';
import {
  NTH_PRIME_MAX_INDEX,
  PRIME_COUNT_MAX_X,
  SMALL_COUNT_MAX_X,
  SMALL_TABLE_MAX_N,
} from '@twelvefa/calc';
import type { RedisTarget } from '../redis/redis-connections.js';
import { ConfigError, type Environment, EnvReader } from './env-reader.js';
import {
  type JobRetention,
  type LogConfig,
  type QueueConfig,
  readJobRetention,
  readLogging,
  readQueue,
  readRedis,
  readShutdownGrace,
} from './process-config.js';

/** Everything the API reads from the environment, parsed once. See docs/configuration.md. */
export interface ApiConfig extends LogConfig, QueueConfig, JobRetention {
  /** PORT: the gRPC port; 0 picks a free one. Default 3000. */
  readonly port: number;
  /** HOST: the interface to bind. Default 0.0.0.0. */
  readonly host: string;
  /**
   * REDIS_URL and REDIS_TLS_CA_FILE: when set, heavy work goes to BullMQ (and the rate limit and
   * the event log live in Redis); unset, heavy work runs on the embedded worker_threads runner.
   */
  readonly redis: RedisTarget | undefined;
  /** REDIS_COMMAND_TIMEOUT_MS: a Redis command on a call's path fails after this long. Default 2000. */
  readonly redisCommandTimeoutMs: number;
  /** TLS_CERT_FILE and friends: the gRPC port serves TLS with these; undefined serves plaintext. */
  readonly tls: ServerTlsConfig | undefined;
  /**
   * AUTH_KEYS_FILE: the API keys file (access/api-keys.ts); when set, every calc.Calc call needs
   * a key it lists. Unset: no authentication (a warning at start on a non-loopback HOST).
   */
  readonly authKeysFile: string | undefined;
  /** AUTH_KEYS_RELOAD_MS: how often the keys file is read again. Default 5000. */
  readonly authKeysReloadMs: number;
  /** AUTH_JWKS_URL, AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE (and AUTH_JWT_*): JWTs accepted too; undefined: none. */
  readonly jwt: JwtConfig | undefined;
  /** RATE_LIMIT_CPU_SECONDS and RATE_LIMIT_WINDOW_SECONDS; undefined: no rate limit. */
  readonly rateLimit: RateLimitConfig | undefined;
  /** HEALTH_WATCH_MAX_PER_CONNECTION: grpc.health.v1 Watch streams one connection may hold. Default 16. */
  readonly healthWatchMaxPerConnection: number;
  /** INLINE_MAX_N: n up to this is answered inline from the small table. Default 4000000. */
  readonly inlineMaxN: number;
  /** MAX_N: the largest n served; above is OUT_OF_RANGE. Default 1e16. */
  readonly maxN: bigint;
  /** INLINE_MAX_X: x up to this is answered inline from the small table. Default 67867967. */
  readonly inlineMaxX: number;
  /** MAX_X: the largest x whose pi(x) is served; above is OUT_OF_RANGE. Default 5e17. */
  readonly maxX: bigint;
  /**
   * MAX_BATCH: the most n in one NthPrimes call; more is RESOURCE_EXHAUSTED, and a body too
   * large to hold that many is refused before it is read (request-size.ts). Default 1000, at
   * most 5000.
   */
  readonly maxBatch: number;
  /** MAX_IN_FLIGHT: distinct heavy computations in flight before RESOURCE_EXHAUSTED. Default 64. */
  readonly maxInFlight: number;
  /** RESULT_CACHE_SIZE: finished heavy results kept in memory (LRU). Default 10000. */
  readonly resultCacheSize: number;
  /** REQUEST_TIMEOUT_MS: deadline of a call whose client set none. Default 60000. */
  readonly requestTimeoutMs: number;
  /** SHUTDOWN_GRACE_MS: how long in-flight work may finish after SIGTERM. Default 10000. */
  readonly shutdownGraceMs: number;
  /** EMBEDDED_THREADS: worker threads of the embedded runner. Default: one per core. */
  readonly embeddedThreads: number;
  /** GRPC_MAX_CONNECTION_AGE_MS: connections are recycled after this, so clients rebalance. */
  readonly maxConnectionAgeMs: number;
  /** GRPC_MAX_CONNECTION_AGE_GRACE_MS: calls on a recycled connection may finish within this. */
  readonly maxConnectionAgeGraceMs: number;
  /**
   * GRPC_MAX_CONCURRENT_STREAMS: calls (HTTP/2 streams) one connection may have open at once,
   * announced in SETTINGS; a client queues the rest. Default 100.
   */
  readonly maxConcurrentStreams: number;
  /** GRPC_KEEPALIVE_TIME_MS: interval of server keepalive pings. */
  readonly keepaliveTimeMs: number;
  /** GRPC_KEEPALIVE_TIMEOUT_MS: a ping unanswered for this long closes the connection. */
  readonly keepaliveTimeoutMs: number;
  /** JOB_ATTEMPTS: attempts of a job failing for a transient reason. Default 3. */
  readonly jobAttempts: number;
  /** JOB_BACKOFF_MS: first retry delay, doubled on each retry. Default 1000. */
  readonly jobBackoffMs: number;
  /**
   * QUEUE_PARALLELISM: the least parallelism the API plans for, whatever the workers it counts
   * (so a lone worker's n is split and a worker arriving mid-call finds chunks), and the figure
   * when it cannot count them (Redis without CLIENT LIST, or none connected yet). Default 2.
   */
  readonly queueParallelism: number;
}

const DAY_MS = 86_400_000;
/** The largest MAX_BATCH: a batch of it holds the event loop well under 50 ms. */
const MAX_BATCH_LIMIT = 5000;

/** TLS on the gRPC port (server-tls.ts). */
export interface ServerTlsConfig {
  /** TLS_CERT_FILE: the PEM certificate chain the server presents. */
  readonly certFile: string;
  /** TLS_KEY_FILE: its PEM private key. */
  readonly keyFile: string;
  /** TLS_CLIENT_CA_FILE: when set, clients must present a certificate this CA signed (mTLS). */
  readonly clientCaFile: string | undefined;
  /** TLS_RELOAD_MS: how often the files are read again, so a rotated certificate needs no restart. */
  readonly reloadMs: number;
}

/** JWTs an identity provider signs (access/jwt-verifier.ts). */
export interface JwtConfig {
  /** AUTH_JWKS_URL: where the provider publishes its signing keys (fetched, then cached). */
  readonly jwksUrl: string;
  /** AUTH_JWT_ISSUER: the `iss` every token must carry. */
  readonly issuer: string;
  /** AUTH_JWT_AUDIENCE: the `aud` every token must carry (this API). */
  readonly audience: string;
  /** AUTH_JWT_REQUIRE_EXP: a token without `exp` is refused. Default true. */
  readonly requireExp: boolean;
  /**
   * AUTH_JWT_MAX_LIFETIME_S: the longest a token may be valid, as exp - iat and as exp - now;
   * a longer-lived one is refused. Default 86400 (a day).
   */
  readonly maxLifetimeSeconds: number;
}

/** RATE_LIMIT_*: each client's allowance of estimated work (access/rate-limiting.ts). */
export interface RateLimitConfig {
  /** RATE_LIMIT_CPU_SECONDS: estimated CPU seconds a client may spend per window. */
  readonly cpuSeconds: number;
  /** RATE_LIMIT_WINDOW_SECONDS: the window the allowance refills over. */
  readonly windowSeconds: number;
}

/** Parses and validates the environment once; throws ConfigError naming every bad variable. */
export function parseApiConfig(env: Environment): ApiConfig {
  const read = new EnvReader(env);
  const config: ApiConfig = {
    ...readLogging(read),
    ...readQueue(read),
    ...readJobRetention(read),
    port: read.integer('PORT', { min: 0, max: 65_535, fallback: 3000 }),
    host: read.string('HOST', '0.0.0.0', /^[^\s]+$/, 'a host name or IP address'),
    redis: readRedis(read, false),
    redisCommandTimeoutMs: read.integer('REDIS_COMMAND_TIMEOUT_MS', {
      min: 50,
      max: 60_000,
      fallback: 2000,
    }),
    tls: parseTls(read),
    authKeysFile: read.readableFile('AUTH_KEYS_FILE'),
    authKeysReloadMs: read.integer('AUTH_KEYS_RELOAD_MS', {
      min: 100,
      max: DAY_MS,
      fallback: 5000,
    }),
    jwt: parseJwt(read),
    rateLimit: parseRateLimit(read),
    healthWatchMaxPerConnection: read.integer('HEALTH_WATCH_MAX_PER_CONNECTION', {
      min: 1,
      max: 100_000,
      fallback: 16,
    }),
    inlineMaxN: read.integer('INLINE_MAX_N', {
      min: 0,
      max: SMALL_TABLE_MAX_N,
      fallback: SMALL_TABLE_MAX_N,
    }),
    maxN: read.bigInteger('MAX_N', {
      min: 1n,
      max: NTH_PRIME_MAX_INDEX,
      fallback: NTH_PRIME_MAX_INDEX,
    }),
    inlineMaxX: read.integer('INLINE_MAX_X', {
      min: 0,
      max: SMALL_COUNT_MAX_X,
      fallback: SMALL_COUNT_MAX_X,
    }),
    maxX: read.bigInteger('MAX_X', {
      min: 0n,
      max: PRIME_COUNT_MAX_X,
      fallback: PRIME_COUNT_MAX_X,
    }),
    // At most 5,000: answering a batch holds the event loop 3-5 us per n (10,000 took 12-77 ms
    // on the 2-core development machine, packages/attack/test/oversized-batch.test.ts), and
    // every other call on this API waits that long; 5,000 stays well inside 50 ms.
    maxBatch: read.integer('MAX_BATCH', { min: 1, max: MAX_BATCH_LIMIT, fallback: 1000 }),
    maxInFlight: read.integer('MAX_IN_FLIGHT', { min: 1, max: 1_000_000, fallback: 64 }),
    resultCacheSize: read.integer('RESULT_CACHE_SIZE', {
      min: 0,
      max: 10_000_000,
      fallback: 10_000,
    }),
    requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', { min: 1, max: DAY_MS, fallback: 60_000 }),
    shutdownGraceMs: readShutdownGrace(read),
    embeddedThreads: read.integer('EMBEDDED_THREADS', {
      min: 1,
      max: 256,
      // The API's event loop only waits while heavy work runs (docs/benchmarks.md: cheap calls
      // keep their latency with every core busy), so every core computes.
      fallback: availableParallelism(),
    }),
    maxConnectionAgeMs: read.integer('GRPC_MAX_CONNECTION_AGE_MS', {
      min: 1000,
      max: DAY_MS,
      fallback: 300_000,
    }),
    maxConnectionAgeGraceMs: read.integer('GRPC_MAX_CONNECTION_AGE_GRACE_MS', {
      min: 0,
      max: DAY_MS,
      fallback: 60_000,
    }),
    maxConcurrentStreams: read.integer('GRPC_MAX_CONCURRENT_STREAMS', {
      min: 1,
      max: 1_000_000,
      fallback: 100,
    }),
    keepaliveTimeMs: read.integer('GRPC_KEEPALIVE_TIME_MS', {
      min: 1000,
      max: DAY_MS,
      fallback: 30_000,
    }),
    keepaliveTimeoutMs: read.integer('GRPC_KEEPALIVE_TIMEOUT_MS', {
      min: 1000,
      max: DAY_MS,
      fallback: 10_000,
    }),
    jobAttempts: read.integer('JOB_ATTEMPTS', { min: 1, max: 100, fallback: 3 }),
    jobBackoffMs: read.integer('JOB_BACKOFF_MS', { min: 0, max: DAY_MS, fallback: 1000 }),
    queueParallelism: read.integer('QUEUE_PARALLELISM', { min: 1, max: 10_000, fallback: 2 }),
  };
  if (config.healthWatchMaxPerConnection >= config.maxConcurrentStreams) {
    read.problem(
      'HEALTH_WATCH_MAX_PER_CONNECTION must be below GRPC_MAX_CONCURRENT_STREAMS: watches that fill a connection leave no room for calls',
    );
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

function parseJwt(read: EnvReader): JwtConfig | undefined {
  const jwksUrl = read.optionalString(
    'AUTH_JWKS_URL',
    /^https?:\/\/\S+$/,
    'an http:// or https:// URL of a JWKS',
  );
  const issuer = read.optionalString('AUTH_JWT_ISSUER');
  const audience = read.optionalString('AUTH_JWT_AUDIENCE');
  const requireExp = read.boolean('AUTH_JWT_REQUIRE_EXP', true);
  const maxLifetimeSeconds = read.integer('AUTH_JWT_MAX_LIFETIME_S', {
    min: 1,
    max: 31_536_000,
    fallback: 86_400,
  });
  const given = [jwksUrl, issuer, audience].filter((value) => value !== undefined).length;
  if (given === 0) return undefined;
  if (jwksUrl === undefined || issuer === undefined || audience === undefined) {
    read.problem('AUTH_JWKS_URL, AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE must be set together');
    return undefined;
  }
  return Object.freeze({ jwksUrl, issuer, audience, requireExp, maxLifetimeSeconds });
}

function parseRateLimit(read: EnvReader): RateLimitConfig | undefined {
  const cpuSeconds = read.optionalInteger('RATE_LIMIT_CPU_SECONDS', { min: 1, max: 1_000_000_000 });
  const windowSeconds = read.integer('RATE_LIMIT_WINDOW_SECONDS', {
    min: 1,
    max: 86_400,
    fallback: 60,
  });
  return cpuSeconds === undefined ? undefined : Object.freeze({ cpuSeconds, windowSeconds });
}

function parseTls(read: EnvReader): ServerTlsConfig | undefined {
  const certFile = read.readableFile('TLS_CERT_FILE');
  const keyFile = read.readableFile('TLS_KEY_FILE');
  const clientCaFile = read.readableFile('TLS_CLIENT_CA_FILE');
  const reloadMs = read.integer('TLS_RELOAD_MS', { min: 100, max: DAY_MS, fallback: 60_000 });
  const given = (name: string): boolean => read.raw(name) !== undefined;
  if (given('TLS_CERT_FILE') !== given('TLS_KEY_FILE')) {
    read.problem('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
    return undefined;
  }
  if (given('TLS_CLIENT_CA_FILE') && !given('TLS_CERT_FILE')) {
    read.problem('TLS_CLIENT_CA_FILE needs TLS_CERT_FILE and TLS_KEY_FILE: mTLS is TLS first');
    return undefined;
  }
  if (certFile === undefined || keyFile === undefined) return undefined;
  return Object.freeze({ certFile, keyFile, clientCaFile, reloadMs });
}
