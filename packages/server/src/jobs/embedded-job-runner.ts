import { type NthPrimeChunkResult, type NthPrimePlan, SMALL_TABLE_MAX_N } from '@twelvefa/calc';
import { UnavailableError } from '../errors.js';
import type { JobRunner, PrimeJob, StartOptions } from './job-runner.js';
import { planBatch } from './plan-batch.js';
import { PoolScheduler } from './pool-scheduler.js';
import { PrimePool } from './prime-pool.js';
import { ProgressFeed } from './progress-feed.js';

/** Options of the embedded runner. */
export interface EmbeddedJobRunnerOptions {
  /** Worker threads in the pool (EMBEDDED_THREADS); also the parallelism the planner cuts for. */
  readonly threads: number;
}

/** One n of a batch: its signal, and how its answer is reached once the batch is planned. */
interface Pending {
  readonly n: number;
  /** Its batch's place in the queue (StartOptions). */
  readonly priority: number;
  readonly controller: AbortController;
  readonly progress: ProgressFeed;
  resolve(prime: number): void;
  reject(error: unknown): void;
}

/**
 * The default runner (no REDIS_URL): a worker_threads pool inside the API process. A batch is
 * planned as one, for the pool's threads; its chunks (largest first) wait in the scheduler
 * behind earlier batches' and run as threads free up; each n's walk to its answer runs on a
 * thread too, ahead of any chunk.
 */
export class EmbeddedJobRunner implements JobRunner {
  readonly kind = 'embedded' as const;
  private readonly pool: PrimePool;
  private readonly scheduler: PoolScheduler;
  private readonly controllers = new Set<AbortController>();
  private planning: Promise<void> = Promise.resolve();

  constructor(options: EmbeddedJobRunnerOptions) {
    this.pool = new PrimePool(options.threads);
    this.scheduler = new PoolScheduler(options.threads);
  }

  start(ns: readonly number[], options: StartOptions = {}): PrimeJob[] {
    const priority = options.priority ?? 1;
    const pending: Pending[] = [];
    const jobs = ns.map((n): PrimeJob => {
      const controller = new AbortController();
      this.controllers.add(controller);
      const progress = new ProgressFeed();
      const result = new Promise<number>((resolve, reject) => {
        pending.push({ n, priority, controller, progress, resolve, reject });
      }).finally(() => {
        // A failed chunk stops its siblings too.
        controller.abort();
        this.controllers.delete(controller);
      });
      // The registry may cancel before anyone awaits: never an unhandled rejection.
      result.catch(() => undefined);
      // An abort drops the queued tasks and stops the running ones at once.
      const cancel = async (): Promise<void> => controller.abort();
      return {
        dispatched: Promise.resolve(),
        result,
        cancel,
        watch: (listener) => progress.watch(listener),
      };
    });
    for (const job of pending) {
      job.controller.signal.addEventListener(
        'abort',
        () => job.reject(job.controller.signal.reason),
        {
          once: true,
        },
      );
    }
    // Batches are planned one after another, so their tasks queue in the order they came even
    // when planning one of them yields to the event loop.
    this.planning = this.planning
      .then(() => this.schedule(pending))
      .catch((error: unknown) => {
        for (const job of pending) job.reject(error);
      });
    return jobs;
  }

  private async schedule(batch: readonly Pending[]): Promise<void> {
    // Up to the table size a thread answers from its own table: nothing to plan here.
    const small = batch.filter((job) => job.n <= SMALL_TABLE_MAX_N);
    const heavy = batch.filter((job) => job.n > SMALL_TABLE_MAX_N);
    for (const job of small) {
      const { signal } = job.controller;
      this.scheduler
        .run(() => this.pool.nthPrime(job.n, null, signal), signal, 'working', job.priority)
        .then(job.resolve, job.reject);
    }
    const plans = await planBatch(
      heavy.map((job) => job.n),
      this.pool.threads,
    );
    // Largest first over the whole batch, so the last tasks to finish are short ones.
    const tasks = heavy.flatMap((job, i) => this.tasksOf(job, plans[i]!));
    tasks.sort((a, b) => b.seconds - a.seconds);
    for (const task of tasks) task.run();
  }

  /** The tasks that answer one n, each with its estimated seconds and how to queue it. */
  private tasksOf(job: Pending, plan: NthPrimePlan): { seconds: number; run(): void }[] {
    const { signal } = job.controller;
    if (signal.aborted) return [];
    if (plan.chunks.length <= 1) {
      job.progress.report(0, 1);
      const run = (): void => {
        this.scheduler
          .run(() => this.pool.nthPrime(job.n, plan, signal), signal, 'working', job.priority)
          .then((prime) => {
            job.progress.report(1, 1);
            job.resolve(prime);
          }, job.reject);
      };
      return [{ seconds: plan.seconds, run }];
    }
    const results: NthPrimeChunkResult[] = [];
    // The parts: every chunk, then the step that combines them.
    const parts = plan.chunks.length + 1;
    job.progress.report(0, parts);
    const finish = (): void => {
      this.scheduler
        .run(() => this.pool.combine(plan, results, signal), signal, 'finishing')
        .then((prime) => {
          job.progress.report(parts, parts);
          job.resolve(prime);
        }, job.reject);
    };
    return plan.chunks.map((chunk) => ({
      seconds: chunk.seconds,
      run: () => {
        this.scheduler
          .run(() => this.pool.chunk(chunk, signal), signal, 'working', job.priority)
          .then((result) => {
            results.push(result);
            job.progress.report(results.length, parts);
            if (results.length === plan.chunks.length) finish();
          }, job.reject);
      },
    }));
  }

  /** Nothing to leave behind: the pool's work ends with the process. */
  beginShutdown(): void {}

  watchReadiness(listener: (ready: boolean) => void): () => void {
    listener(true);
    return () => undefined;
  }

  pendingCount(): number {
    return this.pool.pending + this.controllers.size;
  }

  /** Tasks waiting for a free thread. */
  queuedCount(): number {
    return this.scheduler.queued;
  }

  async close(): Promise<void> {
    const closing = new UnavailableError('the server is shutting down; retry');
    for (const controller of this.controllers) controller.abort(closing);
    await this.pool.close();
  }
}
