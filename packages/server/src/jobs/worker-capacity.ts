import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { concurrencyOf } from './nth-prime-job.js';

/** How long a count of the workers is trusted before Redis is asked again. */
const FRESH_MS = 2000;

/**
 * How many chunks the workers serving a queue can run at once: BullMQ lists their connections
 * (CLIENT LIST), whose names carry each worker's concurrency. Falls back to a configured
 * figure when Redis cannot list clients (Memorystore forbids CLIENT LIST) or no worker is
 * connected yet.
 */
export class WorkerCapacity {
  private known: { readonly parallelism: number; readonly at: number } | undefined;
  private asking: Promise<number> | undefined;

  constructor(
    private readonly queue: Queue,
    private readonly fallback: number,
    private readonly logger: Logger,
  ) {}

  /** The workers' combined concurrency, at most FRESH_MS old. */
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
    let parallelism = this.fallback;
    try {
      const workers = await this.queue.getWorkers();
      const listed = workers.filter((worker) => typeof worker.rawname === 'string');
      if (listed.length > 0) {
        parallelism = listed.reduce(
          (sum, worker) => sum + concurrencyOf(String(worker.rawname)),
          0,
        );
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'could not list the workers; planning for the fallback');
    }
    this.known = { parallelism, at: Date.now() };
    return parallelism;
  }
}
