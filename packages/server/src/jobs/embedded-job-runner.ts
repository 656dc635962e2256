import { combineNthPrime, planNthPrime, SMALL_TABLE_MAX_N } from '@twelvefa/calc';
import type { JobRunner, PrimeJob } from './job-runner.js';
import { PrimePool } from './prime-pool.js';

/** Options of the embedded runner. */
export interface EmbeddedJobRunnerOptions {
  /** Worker threads in the pool (EMBEDDED_THREADS). */
  readonly threads: number;
}

/** Computes the nth prime of n: one task up to the small table, else one task per chunk, in parallel. */
async function computeInPool(pool: PrimePool, n: number, signal: AbortSignal): Promise<number> {
  // Up to the table size the thread answers from its own table: no planning on the gRPC thread.
  if (n <= SMALL_TABLE_MAX_N) return pool.nthPrime(n, signal);
  const plan = planNthPrime(n);
  if (plan.answer !== null) return plan.answer;
  const results = await Promise.all(plan.chunks.map((chunk) => pool.chunk(chunk, signal)));
  return combineNthPrime(plan, results);
}

/** The default runner (no REDIS_URL): a worker_threads pool inside the API process. */
export class EmbeddedJobRunner implements JobRunner {
  readonly kind = 'embedded' as const;
  private readonly pool: PrimePool;
  private readonly controllers = new Set<AbortController>();

  constructor(options: EmbeddedJobRunnerOptions) {
    this.pool = new PrimePool(options.threads);
  }

  start(n: number): PrimeJob {
    const controller = new AbortController();
    this.controllers.add(controller);
    const result = computeInPool(this.pool, n, controller.signal).finally(() => {
      // A failed chunk stops its siblings too.
      controller.abort();
      this.controllers.delete(controller);
    });
    // The registry may cancel before anyone awaits: never an unhandled rejection.
    result.catch(() => undefined);
    return { dispatched: Promise.resolve(), result, cancel: () => controller.abort() };
  }

  watchReadiness(listener: (ready: boolean) => void): () => void {
    listener(true);
    return () => undefined;
  }

  pendingCount(): number {
    return this.pool.pending + this.controllers.size;
  }

  /** Tasks waiting for a free thread. */
  queuedCount(): number {
    return this.pool.queued;
  }

  async close(): Promise<void> {
    for (const controller of this.controllers) controller.abort();
    await this.pool.close();
  }
}
