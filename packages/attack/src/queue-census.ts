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
    const jobs = await this.unfinished();
    return new Set(jobs.map((job) => (job?.data as { n?: unknown } | undefined)?.n)).size;
  }

  /** The ids of the jobs not finished (chunks and their parents) of the computations of ns. */
  async unfinishedOf(ns: readonly number[]): Promise<string[]> {
    const wanted = new Set(ns.map(String));
    return (await this.unfinished())
      .filter((job) => wanted.has(String((job?.data as { n?: unknown } | undefined)?.n)))
      .map((job) => String(job?.id));
  }

  private unfinished() {
    return this.queue.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);
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
