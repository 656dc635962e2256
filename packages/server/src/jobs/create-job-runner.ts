import type { ApiConfig } from '../config/api-config.js';
import type { Logger } from '../logger.js';
import type { RedisTarget } from '../redis/redis-connections.js';
import { BullmqJobRunner } from './bullmq-job-runner.js';
import { EmbeddedJobRunner } from './embedded-job-runner.js';
import type { JobRunner } from './job-runner.js';

/** The BullMQ runner's options from the config. */
function bullmqRunnerOptions(config: ApiConfig, redis: RedisTarget) {
  return {
    redis,
    queuePrefix: config.queuePrefix,
    queueName: config.queueName,
    attempts: config.jobAttempts,
    backoffMs: config.jobBackoffMs,
    keepCompleted: config.jobKeepCompleted,
    keepFailed: config.jobKeepFailed,
    parallelismFloor: config.queueParallelism,
    commandTimeoutMs: config.redisCommandTimeoutMs,
  } as const;
}

/**
 * The one place the mode is decided: BullMQ when REDIS_URL is set, else the embedded
 * worker_threads pool. Everything else asks the runner (its kind, its metrics), not the config.
 */
export function createJobRunner(config: ApiConfig, logger: Logger): JobRunner {
  if (config.redis === undefined) {
    return new EmbeddedJobRunner({ threads: config.embeddedThreads });
  }
  return new BullmqJobRunner(bullmqRunnerOptions(config, config.redis), logger);
}
