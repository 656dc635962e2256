import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { BullmqJobRunner } from './bullmq-job-runner.js';
import { EmbeddedJobRunner } from './embedded-job-runner.js';
import type { JobRunner } from './job-runner.js';

/** The BullMQ runner's options from the config. */
function bullmqRunnerOptions(config: Config, redisUrl: string) {
  return {
    redisUrl,
    redisTlsCaFile: config.redisTlsCaFile,
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

/** BullMQ when REDIS_URL is set, else the embedded worker_threads pool. */
export function createJobRunner(config: Config, logger: Logger): JobRunner {
  if (config.redisUrl === undefined) {
    return new EmbeddedJobRunner({ threads: config.embeddedThreads });
  }
  return new BullmqJobRunner(bullmqRunnerOptions(config, config.redisUrl), logger);
}
