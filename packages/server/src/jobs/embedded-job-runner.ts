import type { PrimeCountChunkResult } from '@twelvefa/calc';
import type { Registry } from 'prom-client';
import { UnavailableError } from '../errors.js';
import { registerWarmUpMetrics } from '../metrics/warm-up-metrics.js';
import { type BatchPlan, type PlannedTask, type PlannedWork, planBatch } from './batch-plan.js';
import type { JobRunner, PrimeJob, StartOptions } from './job-runner.js';
import { PoolScheduler } from './pool-scheduler.js';
import { PrimePool } from './prime-pool.js';
import { type PrimeTarget, targetId } from './prime-target.js';
import { ProgressFeed } from './progress-feed.js';

/** Options of the embedded runner. */
export interface EmbeddedJobRunnerOptions {
  /** Worker threads in the pool (EMBEDDED_THREADS); also the parallelism the planner cuts for. */
  readonly threads: number;
}

/** One target of a batch: its signal, its progress, and how its answer is delivered. */
interface Pending {
  readonly controller: AbortController;
  readonly progress: ProgressFeed;
  resolve(answer: bigint): void;
  reject(error: unknown): void;
}

/**
 * The default transport (no REDIS_URL): a worker_threads pool inside the API process. It runs
 * a batch's plan (batch-plan.ts) as it is: the tasks wait in the scheduler, in the plan's
 * order, behind earlier batches', and run as threads free up; a split target's combine step goes
 * ahead of every chunk once its last chunk is done.
 */
export class EmbeddedJobRunner implements JobRunner {
  readonly kind = 'embedded' as const;
  private readonly pool: PrimePool;
  private readonly scheduler: PoolScheduler;
  private readonly controllers = new Set<AbortController>();
  private planning: Promise<void> = Promise.resolve();
  private readonly warming: Promise<void>;
  /** Seconds the threads took to warm up; undefined until they have. */
  private warmedUpIn: number | undefined;

  constructor(options: EmbeddedJobRunnerOptions) {
    this.pool = new PrimePool(options.threads);
    this.scheduler = new PoolScheduler(options.threads);
    // Tasks sent while the threads warm wait behind the warm-up; readiness waits for it.
    // A warm-up that fails (the pool closed first) leaves cold threads, still able to serve.
    this.warming = this.pool.warmUp().then(
      (ms) => {
        this.warmedUpIn = ms / 1000;
      },
      () => {
        this.warmedUpIn = 0;
      },
    );
  }

  start(targets: readonly PrimeTarget[], options: StartOptions = {}): PrimeJob[] {
    const pending = new Map<string, Pending>();
    const jobs = targets.map((target): PrimeJob => {
      const controller = new AbortController();
      this.controllers.add(controller);
      const progress = new ProgressFeed();
      const result = new Promise<bigint>((resolve, reject) => {
        pending.set(targetId(target), { controller, progress, resolve, reject });
        // An abort drops the queued tasks and stops the running ones at once.
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), {
          once: true,
        });
      }).finally(() => {
        // A failed chunk stops its siblings too.
        controller.abort();
        this.controllers.delete(controller);
      });
      // The registry may cancel before anyone awaits: never an unhandled rejection.
      result.catch(() => undefined);
      return {
        dispatched: Promise.resolve(),
        result,
        cancel: async () => controller.abort(),
        watch: (listener) => progress.watch(listener),
      };
    });
    // Batches are planned one after another, so their tasks queue in the order they came even
    // when planning one of them yields to the event loop.
    const priority = options.priority ?? 1;
    this.planning = this.planning
      .then(async () =>
        this.run(await planBatch(targets, { parallelism: this.pool.threads, priority }), pending),
      )
      .catch((error: unknown) => {
        for (const job of pending.values()) job.reject(error);
      });
    return jobs;
  }

  private run(plan: BatchPlan, pending: ReadonlyMap<string, Pending>): void {
    const splits = new Map<PlannedWork, PrimeCountChunkResult[]>();
    for (const work of plan.works) {
      pending.get(targetId(work.target))?.progress.report(0, work.parts);
      if (work.chunks.length > 0) splits.set(work, []);
    }
    for (const task of plan.tasks) {
      const job = pending.get(targetId(task.work.target));
      if (job !== undefined && !job.controller.signal.aborted) {
        this.queue(task, job, task.rank, splits.get(task.work));
      }
    }
  }

  private queue(
    task: PlannedTask,
    job: Pending,
    priority: number,
    results: PrimeCountChunkResult[] | undefined,
  ): void {
    const { signal } = job.controller;
    const { work } = task;
    if (task.kind === 'whole') {
      this.scheduler
        .run(() => this.pool.whole(work.plan, signal), signal, 'working', priority)
        .then((answer) => {
          job.progress.report(work.parts, work.parts);
          job.resolve(answer);
        }, job.reject);
      return;
    }
    this.scheduler
      .run(() => this.pool.chunk(task.chunk, signal), signal, 'working', priority)
      .then((result) => {
        if (results === undefined) throw new TypeError('chunk of a target planned whole');
        results.push(result);
        job.progress.report(results.length, work.parts);
        if (results.length < work.chunks.length) return;
        const plan = work.plan;
        return this.scheduler
          .run(() => this.pool.combine(plan, results, signal), signal, 'finishing')
          .then((answer) => {
            job.progress.report(work.parts, work.parts);
            job.resolve(answer);
          });
      })
      .catch(job.reject);
  }

  /** Nothing to leave behind: the pool's work ends with the process. */
  beginShutdown(): void {}

  /** Seconds the threads took to warm up; undefined while they warm. */
  get warmUpSeconds(): number | undefined {
    return this.warmedUpIn;
  }

  registerMetrics(registry: Registry): void {
    registerWarmUpMetrics(registry, () => this.warmedUpIn);
  }

  /** Ready once the threads are warm (see PrimePool.warmUp). */
  watchReadiness(listener: (ready: boolean) => void): () => void {
    let watching = true;
    listener(this.warmedUpIn !== undefined);
    if (this.warmedUpIn === undefined) {
      void this.warming.then(() => {
        if (watching) listener(true);
      });
    }
    return () => {
      watching = false;
    };
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
