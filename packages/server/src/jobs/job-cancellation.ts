import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { discardJob } from './job-discard.js';
import type { PrimeJobData } from './prime-job.js';

/**
 * The API's side of cancelling jobs: a message on the cancel channel aborts a job wherever a
 * worker runs it, and whatever still waits is removed. The runner calls it only once the job's
 * add has settled, so nothing it removes can arrive afterwards.
 */
export class JobCancellation {
  constructor(
    private readonly producer: Redis,
    private readonly queue: Queue<PrimeJobData>,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  /** Gives up the job id and its chunks, as Redis has them; never throws (a failure is logged). */
  async discard(id: string): Promise<void> {
    try {
      if (this.producer.status !== 'ready') return;
      const target = { queue: this.queue, publisher: this.producer, channel: this.channel };
      const removed = await discardJob(target, id);
      this.logger.debug({ jobId: id, removed }, 'job discarded');
    } catch (error) {
      this.logger.warn({ err: error, jobId: id }, 'could not discard job');
    }
  }

  /**
   * Removes a failed job and its chunks before the id is added afresh. A chunk of a
   * just-cancelled flow may still be winding down (its lock blocks the removal): retry for up
   * to two seconds, about twice the longest chunk.
   */
  async removeStale(id: string): Promise<void> {
    for (let attempt = 0; attempt < 40; attempt++) {
      if ((await this.queue.remove(id, { removeChildren: true })) === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new UnavailableError(`job ${id} is still being cancelled; retry`);
  }
}
