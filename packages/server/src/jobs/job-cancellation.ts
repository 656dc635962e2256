import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { NthPrimeJobData } from './nth-prime-job.js';

/**
 * The API's side of cancelling jobs: a message on the cancel channel aborts a job wherever a
 * worker runs it, and whatever still waits is removed. Discards run in the background; the
 * runner awaits them before it closes the connection they use.
 */
export class JobCancellation {
  private readonly discarding = new Set<Promise<void>>();

  constructor(
    private readonly producer: Redis,
    private readonly queue: Queue<NthPrimeJobData>,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  /** Gives up the job id and its chunks; never throws (a failure is logged). */
  discard(id: string, chunkIds: readonly string[]): void {
    const discarding = this.remove(id, chunkIds);
    this.discarding.add(discarding);
    void discarding.finally(() => this.discarding.delete(discarding));
  }

  private async remove(id: string, chunkIds: readonly string[]): Promise<void> {
    try {
      if (this.producer.status !== 'ready') return;
      for (const jobId of [id, ...chunkIds]) await this.producer.publish(this.channel, jobId);
      const removed = await this.queue.remove(id, { removeChildren: true });
      if (removed === 0) {
        // A running chunk locks the flow: remove the waiting chunks one by one;
        // the running one is aborted by its worker on the cancel message.
        for (const chunkId of chunkIds) await this.queue.remove(chunkId);
      }
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

  /** Resolves once every discard started so far has reached Redis or given up. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.discarding]);
  }
}
