import { EVERY_JOB_STATE, type JobState } from '@twelvefa/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** Counts a queue's jobs in every BullMQ state, from outside the service. */
export class QueueCensus {
  private readonly connection: Redis;
  private readonly queue: Queue;

  constructor(env: Readonly<Record<string, string | undefined>>) {
    this.connection = new Redis(env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
    this.queue = new Queue(env.QUEUE_NAME ?? '', {
      connection: this.connection,
      prefix: env.QUEUE_PREFIX ?? '',
    });
  }

  /** Jobs by state. */
  async counts(): Promise<Record<JobState, number>> {
    return (await this.queue.getJobCounts(...EVERY_JOB_STATE)) as Record<JobState, number>;
  }

  /**
   * Computations queued or running: distinct n among the jobs not finished (a split n is its
   * chunks and their parent, one computation).
   */
  async computations(): Promise<number> {
    const jobs = await this.queue.getJobs([
      'waiting',
      'active',
      'delayed',
      'prioritized',
      'waiting-children',
    ]);
    return new Set(jobs.map((job) => (job?.data as { n?: unknown } | undefined)?.n)).size;
  }

  /** Jobs in any state. */
  async total(): Promise<number> {
    return Object.values(await this.counts()).reduce((sum, count) => sum + count, 0);
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
