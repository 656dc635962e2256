// The `twelvefa-worker` process's configuration: what it needs to run jobs, and nothing of the
// API's (keys, TLS, limits).
import { hostname } from 'node:os';
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

const DAY_MS = 86_400_000;

/** Everything a worker reads from the environment, parsed once. See docs/configuration.md. */
export interface WorkerConfig extends LogConfig, QueueConfig, JobRetention {
  /** REDIS_URL (required) and REDIS_TLS_CA_FILE. */
  readonly redis: RedisTarget;
  /** SHUTDOWN_GRACE_MS: how long active jobs may finish after SIGTERM. Default 10000. */
  readonly shutdownGraceMs: number;
  /** WORKER_CONCURRENCY: jobs one worker process runs at once (one thread each). Default 1. */
  readonly workerConcurrency: number;
  /** WORKER_NAME: shown on each job the worker processes. Default host:pid. */
  readonly workerName: string;
  /** WORKER_LOCK_DURATION_MS: a job lock not renewed for this long is stalled. Default 4000. */
  readonly workerLockDurationMs: number;
  /** WORKER_STALLED_INTERVAL_MS: how often workers look for stalled jobs. Default 4000. */
  readonly workerStalledIntervalMs: number;
  /** WORKER_MAX_STALLED_COUNT: times a job may stall before it fails. Default 2. */
  readonly workerMaxStalledCount: number;
}

/** Parses and validates the worker's environment; throws ConfigError naming every bad variable. */
export function parseWorkerConfig(env: Environment): WorkerConfig {
  const read = new EnvReader(env);
  const redis = readRedis(read, true);
  const config = {
    redis,
    ...readLogging(read),
    ...readQueue(read),
    ...readJobRetention(read),
    shutdownGraceMs: readShutdownGrace(read),
    workerConcurrency: read.integer('WORKER_CONCURRENCY', { min: 1, max: 256, fallback: 1 }),
    workerName: read.string('WORKER_NAME', `${hostname()}:${process.pid}`),
    // Chunks run on worker threads, so the event loop renews locks on time: a killed worker's
    // chunk is back in the queue within lock + interval = 8 s (docs/configuration.md).
    workerLockDurationMs: read.integer('WORKER_LOCK_DURATION_MS', {
      min: 500,
      max: DAY_MS,
      fallback: 4000,
    }),
    workerStalledIntervalMs: read.integer('WORKER_STALLED_INTERVAL_MS', {
      min: 100,
      max: DAY_MS,
      fallback: 4000,
    }),
    workerMaxStalledCount: read.integer('WORKER_MAX_STALLED_COUNT', {
      min: 0,
      max: 100,
      fallback: 2,
    }),
  };
  if (read.problems.length > 0 || redis === undefined) throw new ConfigError(read.problems);
  return Object.freeze({ ...config, redis });
}
