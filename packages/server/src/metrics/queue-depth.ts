import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';

/** The job states whose counts are exported. */
const QUEUE_STATES = [
  'waiting',
  'waiting-children',
  'prioritized',
  'delayed',
  'active',
  'completed',
  'failed',
  'paused',
] as const;

/** How long a scrape waits for Redis before leaving the gauge empty. */
const QUEUE_DEPTH_TIMEOUT_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * `bullmq_job_count{queue, state}`, the series BullMQ's own exporter writes (so
 * its dashboards and the KEDA query work): the jobs in each state, read from Redis
 * at scrape time (so every replica reports the same shared queue). When Redis
 * does not answer within QUEUE_DEPTH_TIMEOUT_MS, the gauge is left empty
 * rather than failing or stalling the whole scrape.
 */
export function registerQueueDepth(
  registry: Registry,
  queues: readonly Queue[],
  logger: Logger,
): Gauge<'queue' | 'state'> {
  return new Gauge({
    name: 'bullmq_job_count',
    help: 'Number of jobs in the queue by state (the series of BullMQ exportPrometheusMetrics), read at scrape time.',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        try {
          const counts = await withTimeout(
            queue.getJobCounts(...QUEUE_STATES),
            QUEUE_DEPTH_TIMEOUT_MS,
          );
          for (const state of QUEUE_STATES) {
            this.set({ queue: queue.name, state }, counts[state] ?? 0);
          }
        } catch (error) {
          logger.debug({ err: error, queue: queue.name }, 'queue depth not available');
        }
      }
    },
  });
}
