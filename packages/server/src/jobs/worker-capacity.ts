import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { concurrencyOf } from './prime-job.js';

/** How long a count of the workers is trusted before Redis is asked again. */
const FRESH_MS = 2000;

/**
 * How many chunks to plan for: the workers serving a queue can run their combined concurrency
 * at once (BullMQ lists their connections, CLIENT LIST, whose names carry it), but never fewer
 * than a configured floor. The floor is the figure when Redis cannot list clients (Memorystore
 * forbids CLIENT LIST) or no worker is connected yet, and it keeps a lone worker's n split, so
 * workers that arrive mid-call (KEDA adds them as the queue grows) find chunks to take: a split
 * costs one worker a few milliseconds per chunk, a whole n leaves a newcomer idle.
 */
export class WorkerCapacity {
  private known: { readonly parallelism: number; readonly at: number } | undefined;
  private asking: Promise<number> | undefined;

  constructor(
    private readonly queue: Queue,
    /** QUEUE_PARALLELISM. */
    private readonly floor: number,
    private readonly logger: Logger,
  ) {}

  /** The workers' combined concurrency or the floor, whichever is larger; at most FRESH_MS old. */
  parallelism(): Promise<number> {
    if (this.known !== undefined && Date.now() - this.known.at < FRESH_MS) {
      return Promise.resolve(this.known.parallelism);
    }
    this.asking ??= this.count().finally(() => {
      this.asking = undefined;
    });
    return this.asking;
  }

  private async count(): Promise<number> {
    let parallelism = this.floor;
    try {
      const workers = await this.queue.getWorkers();
      const listed = workers.filter((worker) => typeof worker.rawname === 'string');
      const counted = listed.reduce(
        (sum, worker) => sum + concurrencyOf(String(worker.rawname)),
        0,
      );
      parallelism = Math.max(this.floor, counted);
    } catch (error) {
      this.logger.debug({ err: error }, 'could not list the workers; planning for the fallback');
    }
    this.known = { parallelism, at: Date.now() };
    return parallelism;
  }
}
