// What several processes read alike: how they log, where Redis is, which queue they share.
// Each process's own parser (api-config.ts, worker-config.ts, the dashboard's, the event
// reader's) reads these through the same functions, so a variable means one thing everywhere.
import type { RedisTarget } from '../redis/redis-connections.js';
import type { EnvReader } from './env-reader.js';

/** Pino levels accepted by LOG_LEVEL. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How log lines are written: JSON always, pretty always, or pretty only on a TTY. */
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LOG_LEVEL (default info) and LOG_FORMAT (default auto: pretty on a TTY, JSON otherwise). */
export interface LogConfig {
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

/** The log level and format. */
export function readLogging(read: EnvReader): LogConfig {
  return {
    logLevel: read.choice('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: read.choice('LOG_FORMAT', LOG_FORMATS, 'auto'),
  };
}

/** The log level alone, for a process whose logs have one fixed format (JSON on stderr). */
export function readLogLevel(read: EnvReader): LogConfig {
  return { logLevel: read.choice('LOG_LEVEL', LOG_LEVELS, 'info'), logFormat: 'json' };
}

/**
 * REDIS_URL (a redis:// or rediss:// URL) and REDIS_TLS_CA_FILE (the CA a rediss:// server is
 * verified against), as one target every connection is made from; undefined when REDIS_URL is
 * unset, or a problem when `required`.
 */
export function readRedis(read: EnvReader, required: boolean): RedisTarget | undefined {
  const url = read.redisUrl('REDIS_URL');
  const tlsCaFile = read.readableFile('REDIS_TLS_CA_FILE');
  if (tlsCaFile !== undefined && !url?.startsWith('rediss://')) {
    read.problem('REDIS_TLS_CA_FILE is set, but REDIS_URL is not a rediss:// URL');
  }
  if (url === undefined) {
    if (required && read.raw('REDIS_URL') === undefined) {
      read.problem('REDIS_URL is required (a redis:// or rediss:// URL)');
    }
    return undefined;
  }
  return Object.freeze({ url, tlsCaFile });
}

// No ":" here, unlike event stream names: BullMQ joins prefix and queue name with ":".
const QUEUE_KEY_PART = /^[A-Za-z0-9_.-]+$/;

/** QUEUE_PREFIX (default "twelvefa") and QUEUE_NAME (default "nth-prime"): the BullMQ queue. */
export interface QueueConfig {
  readonly queuePrefix: string;
  readonly queueName: string;
}

/** The queue's prefix and name. */
export function readQueue(read: EnvReader): QueueConfig {
  const allowed = 'letters, digits, _ . or -';
  return {
    queuePrefix: read.string('QUEUE_PREFIX', 'twelvefa', QUEUE_KEY_PART, allowed),
    queueName: read.string('QUEUE_NAME', 'nth-prime', QUEUE_KEY_PART, allowed),
  };
}

const DAY_MS = 86_400_000;

/** SHUTDOWN_GRACE_MS: how long work in flight may finish after SIGTERM. Default 10000. */
export function readShutdownGrace(read: EnvReader): number {
  return read.integer('SHUTDOWN_GRACE_MS', { min: 0, max: DAY_MS, fallback: 10_000 });
}

/** JOB_KEEP_COMPLETED and JOB_KEEP_FAILED: finished jobs kept in Redis. */
export interface JobRetention {
  /** Completed jobs kept (they double as a shared cache). Default 1000. */
  readonly jobKeepCompleted: number;
  /** Failed jobs kept for inspection. Default 1000. */
  readonly jobKeepFailed: number;
}

/** How many finished jobs are kept. */
export function readJobRetention(read: EnvReader): JobRetention {
  return {
    jobKeepCompleted: read.integer('JOB_KEEP_COMPLETED', {
      min: 0,
      max: 1_000_000,
      fallback: 1000,
    }),
    jobKeepFailed: read.integer('JOB_KEEP_FAILED', { min: 0, max: 1_000_000, fallback: 1000 }),
  };
}
