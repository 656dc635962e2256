import { SMALL_TABLE_MAX_N } from '@twelvefa/calc';
import { FlowProducer, type JobsOptions, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import {
  closeConnection,
  createBlockingConnection,
  createProducerConnection,
  type RedisTarget,
} from '../redis-connections.js';
import { JobCancellation } from './job-cancellation.js';
import { followJobOutcomes, settleIfFinished } from './job-outcomes.js';
import type { JobRunner, PrimeJob, StartOptions } from './job-runner.js';
import { JobWaiters } from './job-waiters.js';
import { nthPrimeFlow } from './nth-prime-flow.js';
import { cancelChannel, type NthPrimeJobData, nthPrimeJobId } from './nth-prime-job.js';
import { planBatch } from './plan-batch.js';
import { ProgressFeed } from './progress-feed.js';
import { WorkerCapacity } from './worker-capacity.js';

/** Options of the BullMQ runner (the API side of the queue). */
export interface BullmqJobRunnerOptions {
  readonly redisUrl: string;
  /** REDIS_TLS_CA_FILE. */
  readonly redisTlsCaFile?: string | undefined;
  readonly queuePrefix: string;
  readonly queueName: string;
  /** Attempts of a job failing for a transient reason (JOB_ATTEMPTS). */
  readonly attempts: number;
  /** First retry delay in ms, doubled each retry (JOB_BACKOFF_MS). */
  readonly backoffMs: number;
  /** Completed jobs kept (JOB_KEEP_COMPLETED). */
  readonly keepCompleted: number;
  /** Failed jobs kept (JOB_KEEP_FAILED). */
  readonly keepFailed: number;
  /** Chunks planned for when the workers cannot be counted (QUEUE_PARALLELISM). */
  readonly parallelismFallback: number;
}

function unreachable(cause: unknown): UnavailableError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new UnavailableError(`Redis is unreachable, heavy work cannot be queued${detail}`, {
    cause,
  });
}

/** Times a lost job is added again for one wait before the call fails UNAVAILABLE. */
const MAX_REQUEUES = 3;

/** How often the jobs waited for are looked at directly, in case an event was missed. */
const RECONCILE_MS = 2000;

function abortError(): Error {
  return Object.assign(new Error('job cancelled'), { name: 'AbortError' });
}

/**
 * Heavy work as BullMQ jobs executed by separate `twelvefa-worker` processes. One n is one job
 * with a deterministic id, so replicas asking for the same n share it; an n whose plan has
 * several chunks is a flow (nth-prime-flow.ts). Waits are settled from the queue's events
 * (job-outcomes.ts), lost jobs added again, and cancels go through the cancel channel
 * (job-cancellation.ts).
 */
export class BullmqJobRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  /** The queue, for tests and admin tasks that inspect jobs. */
  readonly queue: Queue<NthPrimeJobData>;
  private readonly producer: Redis;
  private readonly flows: FlowProducer;
  private readonly capacity: WorkerCapacity;
  private readonly waiters = new JobWaiters();
  private readonly cancellation: JobCancellation;
  private readonly jobOptions: JobsOptions;
  private events: QueueEvents | undefined;
  private eventsTemplate: Redis | undefined;
  private steps: Promise<void> = Promise.resolve();
  /** Progress of the jobs waited for, fed by the flows' progress events (combine jobs report it). */
  private readonly progress = new Map<string, ProgressFeed>();
  private shuttingDown = false;
  private reconciling = false;
  /** Jobs waited for that the last periodic look did not find. */
  private missing = new Set<string>();
  private readonly reconciler: NodeJS.Timeout;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: BullmqJobRunnerOptions,
    private readonly logger: Logger,
  ) {
    const { queueName, queuePrefix: prefix } = options;
    this.producer = createProducerConnection(this.redis, `${prefix}:api:producer`);
    this.queue = new Queue<NthPrimeJobData>(queueName, { connection: this.producer, prefix });
    this.flows = new FlowProducer({ connection: this.producer, prefix });
    this.capacity = new WorkerCapacity(this.queue, options.parallelismFallback, logger);
    this.cancellation = new JobCancellation(
      this.producer,
      this.queue,
      cancelChannel(prefix, queueName),
      logger,
    );
    this.jobOptions = {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      removeOnComplete: { count: options.keepCompleted },
      removeOnFail: { count: options.keepFailed },
    };
    this.producer.on('error', this.onRedisError);
    this.queue.on('error', this.onRedisError);
    this.flows.on('error', this.onRedisError);
    // The event reader is created once Redis answers: closing a QueueEvents
    // whose connection never came up leaks an unhandled rejection in BullMQ.
    this.producer.once('ready', () => {
      this.listenForOutcomes();
      // From the second connection on, Redis may have come back without the jobs waited for.
      this.producer.on('ready', () => void this.reconcile(true));
    });
    this.reconciler = setInterval(() => void this.reconcile(false), RECONCILE_MS);
    this.reconciler.unref();
  }

  private get redis(): RedisTarget {
    return { url: this.options.redisUrl, tlsCaFile: this.options.redisTlsCaFile };
  }

  private readonly onRedisError = (error: Error): void => {
    this.logger.warn({ err: error }, 'redis error');
  };

  private listenForOutcomes(): QueueEvents {
    if (this.events !== undefined) return this.events;
    const { queueName, queuePrefix: prefix } = this.options;
    // QueueEvents duplicates the connection it is given; the template never connects itself.
    this.eventsTemplate = createBlockingConnection(this.redis, `${prefix}:api:events`, {
      lazy: true,
    });
    const events = new QueueEvents(queueName, { connection: this.eventsTemplate, prefix });
    this.events = events;
    events.on('error', this.onRedisError);
    followJobOutcomes(events, this.queue, this.waiters, (id) => this.requeue(id), this.logger);
    events.on('progress', ({ jobId, data }) => {
      const progress = data as { done?: unknown; total?: unknown };
      if (typeof progress.done === 'number' && typeof progress.total === 'number') {
        // The combine step is a part too, as the embedded runner counts it.
        this.progress.get(jobId)?.report(progress.done, progress.total + 1);
      }
    });
    return events;
  }

  /** Resolves once Redis answered and the event stream is being read; rejects if Redis is unreachable. */
  async waitUntilReady(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.listenForOutcomes().waitUntilReady();
  }

  start(ns: readonly number[], options: StartOptions = {}): PrimeJob[] {
    const controllers = ns.map(() => new AbortController());
    // Waits are registered before any job is added, so a completion event cannot be missed.
    const results = ns.map((n, i) =>
      this.waiters.wait(nthPrimeJobId(n), n, controllers[i]!.signal),
    );
    const dispatched = this.add(ns, options.priority ?? 1);
    return ns.map((n, i) => ({
      dispatched,
      result: results[i]!,
      watch: (listener) => this.progressOf(nthPrimeJobId(n), results[i]!).watch(listener),
      cancel: async () => {
        const controller = controllers[i]!;
        if (controller.signal.aborted) return;
        controller.abort(abortError());
        // At shutdown the job is left to finish: another replica may share it, a retry joins it.
        if (this.shuttingDown) return;
        // After the add has settled, so the removal cannot come before the jobs arrive.
        await this.serially(() => this.cancellation.discard(nthPrimeJobId(n)));
      },
    }));
  }

  /** The progress feed of a job this replica waits for, kept until its result settles. */
  private progressOf(id: string, result: Promise<number>): ProgressFeed {
    let feed = this.progress.get(id);
    if (feed === undefined) {
      const created = new ProgressFeed();
      this.progress.set(id, created);
      const forget = (): void => {
        if (this.progress.get(id) === created) this.progress.delete(id);
      };
      result.then(forget, forget);
      feed = created;
    }
    return feed;
  }

  /** Adds the jobs of ns behind every earlier add and discard; a failure fails their waits. */
  private add(ns: readonly number[], priority: number): Promise<void> {
    const ids = ns.map(nthPrimeJobId);
    const added = this.waiters.adding(
      ids,
      this.serially(() => this.enqueue(ns, priority)),
    );
    added.catch((error: unknown) => {
      for (const id of ids) {
        this.waiters.settle(id, () => {
          throw error;
        });
      }
    });
    return added;
  }

  /**
   * Runs step after every step before it. Adds and discards go through here, so batches queue
   * in the order they came (even when planning one of them yields to the event loop) and a
   * discard never overtakes the add of the same job.
   */
  private serially<T>(step: () => Promise<T>): Promise<T> {
    const run = this.steps.then(step);
    this.steps = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * A job this replica still waits for is gone (another replica gave it up, or Redis lost its
   * data): add it again, a few times at most, since the request still wants the answer.
   */
  private requeue(id: string): void {
    const wanted = this.waiters.requeued(id);
    if (wanted === undefined) return;
    if (wanted.requeues > MAX_REQUEUES) {
      this.waiters.settle(id, () => {
        throw new UnavailableError(`job ${id} was lost ${MAX_REQUEUES} times; retry`);
      });
      return;
    }
    this.logger.info({ jobId: id, requeues: wanted.requeues }, 'job lost, adding it again');
    // Lost work is owed already: it goes first.
    void this.add([wanted.n], 1);
  }

  /**
   * Looks at every job this replica waits for: settles the finished ones and re-adds the gone
   * ones. Events are the fast path; this catches what they cannot say: a Redis that came back
   * without the jobs (`afterReconnect`: gone means lost), and outcomes published while the event
   * reader was reconnecting. On the periodic look a job must be missing twice running before it
   * counts as lost: a job kept for no time after it completes is gone a moment before its
   * completion event arrives.
   */
  private async reconcile(afterReconnect: boolean): Promise<void> {
    if (this.reconciling || this.producer.status !== 'ready') return;
    this.reconciling = true;
    const missing = new Set<string>();
    try {
      for (const { id } of this.waiters.expected()) {
        const job = await settleIfFinished(this.queue, this.waiters, id);
        if (job !== undefined || !this.waiters.expects(id)) continue;
        if (afterReconnect || this.missing.has(id)) this.requeue(id);
        else missing.add(id);
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'could not reconcile the jobs waited for');
    } finally {
      this.missing = missing;
      this.reconciling = false;
    }
  }

  /**
   * Adds what the batch needs: n already queued or running (by this replica or another) are
   * joined, the rest planned together for the workers that exist and added at once, largest
   * first, so their jobs sit side by side in the queue.
   */
  private async enqueue(batch: readonly number[], priority: number): Promise<void> {
    if (this.producer.status !== 'ready') throw unreachable(undefined);
    // Cancelled while waiting its turn (a storm of short deadlines): nothing to add or remove.
    const wanted = (n: number): boolean => this.waiters.isWaiting(nthPrimeJobId(n));
    const ns = batch.filter(wanted);
    try {
      const fresh: number[] = [];
      await Promise.all(
        ns.map(async (n) => {
          const id = nthPrimeJobId(n);
          const state = await this.queue.getJobState(id);
          if (state === 'failed') {
            // A failure kept for inspection must not answer a new request: start afresh.
            await this.cancellation.removeStale(id);
            fresh.push(n);
          } else if (state === 'unknown') {
            fresh.push(n);
          } else {
            // Joining a computation another request or replica started.
            await settleIfFinished(this.queue, this.waiters, id);
          }
        }),
      );
      if (fresh.length === 0) return;
      // Within the small table a worker answers at once: no plan needed.
      const small = fresh.filter((n) => n <= SMALL_TABLE_MAX_N);
      const plans = await planBatch(
        fresh.filter((n) => n > SMALL_TABLE_MAX_N),
        await this.capacity.parallelism(),
      );
      const { queueName } = this.options;
      // Planning yields to the event loop: drop what was cancelled meanwhile.
      const flows = [
        ...small.filter(wanted).map((n) => ({
          seconds: 0,
          flow: nthPrimeFlow(n, null, queueName, this.jobOptions, priority),
        })),
        ...plans
          .filter((plan) => wanted(plan.n))
          .map((plan) => ({
            seconds: plan.seconds,
            flow: nthPrimeFlow(plan.n, plan, queueName, this.jobOptions, priority),
          })),
      ];
      if (flows.length === 0) return;
      flows.sort((a, b) => b.seconds - a.seconds);
      await this.flows.addBulk(flows.map(({ flow }) => flow));
      this.logger.debug({ ns: fresh }, 'jobs queued');
      // A job may have finished before this replica's event stream saw it.
      await Promise.all(
        fresh.map((n) => settleIfFinished(this.queue, this.waiters, nthPrimeJobId(n))),
      );
    } catch (error) {
      if (this.producer.status !== 'ready') throw unreachable(error);
      throw error;
    }
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }

  watchReadiness(listener: (ready: boolean) => void): () => void {
    const onReady = (): void => listener(true);
    const onClose = (): void => listener(false);
    this.producer.on('ready', onReady);
    this.producer.on('close', onClose);
    listener(this.producer.status === 'ready');
    return () => {
      this.producer.off('ready', onReady);
      this.producer.off('close', onClose);
    };
  }

  pendingCount(): number {
    return this.waiters.size;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.reconciler);
    // Let adds and discards under way reach Redis before the connection goes.
    await this.steps;
    this.waiters.rejectAll(new UnavailableError('the server is shutting down; retry'));
    const { events, eventsTemplate } = this;
    const steps = [
      async () => events?.close(),
      () => this.flows.close(),
      () => this.queue.close(),
      () => closeConnection(this.producer),
      async () => eventsTemplate && closeConnection(eventsTemplate),
    ];
    // Every step runs even when one fails.
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        this.logger.warn({ err: error }, 'error while closing the job queue');
      }
    }
  }
}
