import { type NthPrimePlan, SMALL_TABLE_MAX_N } from '@twelvefa/calc';
import { type FlowJob, FlowProducer, Job, type JobsOptions, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { JobRunner, PrimeJob } from './job-runner.js';
import {
  type ChunkJobData,
  type CombineJobData,
  cancelChannel,
  chunkJobId,
  chunkJobName,
  type NthPrimeJobData,
  nthPrimeJobId,
  nthPrimeJobName,
  parseNthPrimeJobResult,
  type WholeJobData,
} from './nth-prime-job.js';
import { planBatch } from './plan-batch.js';
import {
  closeConnection,
  createBlockingConnection,
  createProducerConnection,
} from './redis-connections.js';
import { WorkerCapacity } from './worker-capacity.js';

/** Options of the BullMQ runner (the API side of the queue). */
export interface BullmqJobRunnerOptions {
  readonly redisUrl: string;
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

interface Waiter {
  resolve(prime: number): void;
  reject(error: unknown): void;
}

function unreachable(cause: unknown): UnavailableError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new UnavailableError(`Redis is unreachable, heavy work cannot be queued${detail}`, {
    cause,
  });
}

/**
 * Heavy work as BullMQ jobs executed by separate `twelvefa-worker` processes.
 * One n is one job with a deterministic id (so replicas share it); an n whose
 * plan has several chunks is a flow: chunk children and a parent that combines.
 */
export class BullmqJobRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  /** The queue, for tests and admin tasks that inspect jobs. */
  readonly queue: Queue<NthPrimeJobData>;
  private readonly producer: Redis;
  private readonly flows: FlowProducer;
  private events: QueueEvents | undefined;
  private eventsTemplate: Redis | undefined;
  private readonly waiters = new Map<string, Waiter>();
  private readonly jobOptions: JobsOptions;
  private readonly channel: string;
  private closing: Promise<void> | undefined;
  private readonly discarding = new Set<Promise<void>>();
  /** Ids being (re)added right now: events of their earlier run must not settle the new wait. */
  private readonly enqueuing = new Set<string>();
  private readonly capacity: WorkerCapacity;
  private adding: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: BullmqJobRunnerOptions,
    private readonly logger: Logger,
  ) {
    const { queueName, queuePrefix: prefix } = options;
    this.producer = createProducerConnection(options.redisUrl, `${prefix}:api:producer`);
    this.queue = new Queue<NthPrimeJobData>(queueName, { connection: this.producer, prefix });
    this.flows = new FlowProducer({ connection: this.producer, prefix });
    this.capacity = new WorkerCapacity(this.queue, options.parallelismFallback, logger);
    this.channel = cancelChannel(prefix, queueName);
    this.jobOptions = {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      removeOnComplete: { count: options.keepCompleted },
      removeOnFail: { count: options.keepFailed },
    };
    const onError = (error: Error): void => this.logger.warn({ err: error }, 'redis error');
    this.producer.on('error', onError);
    this.queue.on('error', onError);
    this.flows.on('error', onError);
    // The event reader is created once Redis answers: closing a QueueEvents
    // whose connection never came up leaks an unhandled rejection in BullMQ.
    this.producer.once('ready', () => this.listenForResults(onError));
  }

  private listenForResults(onError: (error: Error) => void): QueueEvents {
    if (this.events !== undefined) return this.events;
    const { redisUrl, queueName, queuePrefix: prefix } = this.options;
    // QueueEvents duplicates the connection it is given; the template never connects itself.
    this.eventsTemplate = createBlockingConnection(redisUrl, `${prefix}:api:events`, {
      lazy: true,
    });
    const events = new QueueEvents(queueName, { connection: this.eventsTemplate, prefix });
    this.events = events;
    events.on('error', onError);
    events.on('completed', ({ jobId, returnvalue }) => {
      this.settle(jobId, () => parseNthPrimeJobResult(returnvalue));
    });
    events.on('failed', ({ jobId, failedReason }) => {
      if (!this.waiters.has(jobId) || this.enqueuing.has(jobId)) return;
      // The failure of an earlier run of the same id (cancelled, then added
      // afresh) can arrive late: only a job that is failed now fails the wait.
      this.queue.getJobState(jobId).then(
        (state) => {
          if (state !== 'failed' || this.enqueuing.has(jobId)) return;
          this.settle(jobId, () => {
            throw this.failure(jobId, failedReason);
          });
        },
        (error: unknown) =>
          this.logger.debug({ err: error, jobId }, 'could not check a failed job'),
      );
    });
    events.on('removed', ({ jobId }) => {
      if (!this.waiters.has(jobId) || this.enqueuing.has(jobId)) return;
      // A stale failed job is removed right before it is added afresh: only a
      // job that stays gone (another replica cancelled it) fails the wait.
      this.queue.getJobState(jobId).then(
        (state) => {
          if (state !== 'unknown' || this.enqueuing.has(jobId)) return;
          this.settle(jobId, () => {
            throw new UnavailableError(`job ${jobId} was removed before it finished; retry`);
          });
        },
        (error: unknown) =>
          this.logger.debug({ err: error, jobId }, 'could not check a removed job'),
      );
    });
    return events;
  }

  /** Resolves once Redis answered and the event stream is being read; rejects if Redis is unreachable. */
  async waitUntilReady(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.listenForResults((error) =>
      this.logger.warn({ err: error }, 'redis error'),
    ).waitUntilReady();
  }

  private failure(jobId: string, reason: string): Error {
    if (reason.startsWith('cancelled')) {
      return new UnavailableError(`job ${jobId} was cancelled by another request; retry`);
    }
    return new Error(`job ${jobId} failed: ${reason}`);
  }

  private settle(jobId: string, outcome: () => number): void {
    const waiter = this.waiters.get(jobId);
    if (waiter === undefined) return;
    this.waiters.delete(jobId);
    try {
      waiter.resolve(outcome());
    } catch (error) {
      waiter.reject(error);
    }
  }

  start(ns: readonly number[]): PrimeJob[] {
    const chunkIds = new Map<number, readonly string[]>();
    const controllers = ns.map(() => new AbortController());
    // Registered before any job is added, so a completion event cannot be missed.
    const results = ns.map(
      (n, i) =>
        new Promise<number>((resolve, reject) => {
          const id = nthPrimeJobId(n);
          const { signal } = controllers[i]!;
          this.waiters.set(id, { resolve, reject });
          signal.addEventListener(
            'abort',
            () => {
              this.waiters.delete(id);
              reject(signal.reason);
            },
            { once: true },
          );
        }),
    );
    for (const result of results) result.catch(() => undefined);
    const ids = ns.map(nthPrimeJobId);
    for (const id of ids) this.enqueuing.add(id);
    // Batches are added one after another, so their jobs queue in the order they came even
    // when planning one of them yields to the event loop.
    const dispatched = this.adding
      .then(() => this.enqueue(ns, (n, chunks) => chunkIds.set(n, chunks)))
      .finally(() => {
        for (const id of ids) this.enqueuing.delete(id);
      });
    this.adding = dispatched.catch(() => undefined);
    dispatched.catch((error: unknown) => {
      for (const id of ids) {
        this.settle(id, () => {
          throw error;
        });
      }
    });
    return ns.map((n, i) => ({
      dispatched,
      result: results[i]!,
      cancel: () => {
        const controller = controllers[i]!;
        if (controller.signal.aborted) return;
        controller.abort(Object.assign(new Error('job cancelled'), { name: 'AbortError' }));
        const discarding = this.discard(ids[i]!, chunkIds.get(n) ?? []);
        this.discarding.add(discarding);
        void discarding.finally(() => this.discarding.delete(discarding));
      },
    }));
  }

  /**
   * Adds what the batch needs: n already queued or running (by this replica or another) are
   * joined, the rest planned together for the workers that exist and added at once, largest
   * first, so their jobs sit side by side in the queue.
   */
  private async enqueue(
    ns: readonly number[],
    onChunks: (n: number, ids: readonly string[]) => void,
  ): Promise<void> {
    if (this.producer.status !== 'ready') throw unreachable(undefined);
    try {
      const fresh: number[] = [];
      await Promise.all(
        ns.map(async (n) => {
          const id = nthPrimeJobId(n);
          const state = await this.queue.getJobState(id);
          if (state === 'failed') {
            // A failure kept for inspection must not answer a new request: start afresh.
            await this.removeStale(id);
            fresh.push(n);
          } else if (state === 'unknown') {
            fresh.push(n);
          } else {
            // Joining a computation another request or replica started.
            const job = await this.settleIfFinished(id);
            if (job?.data.kind === 'combine') onChunks(n, job.data.plan.chunks.map(chunkJobId));
          }
        }),
      );
      if (fresh.length === 0) return;
      const heavy = fresh.filter((n) => n > SMALL_TABLE_MAX_N);
      const plans = await planBatch(heavy, await this.capacity.parallelism());
      const nodes = [
        // Within the table a worker answers at once: no plan needed.
        ...fresh
          .filter((n) => n <= SMALL_TABLE_MAX_N)
          .map((n) => ({ seconds: 0, node: this.wholeJob(n, null) })),
        ...plans.map((plan) => ({ seconds: plan.seconds, node: this.jobOf(plan, onChunks) })),
      ];
      nodes.sort((a, b) => b.seconds - a.seconds);
      await this.flows.addBulk(nodes.map(({ node }) => node));
      this.logger.debug({ ns: fresh }, 'jobs queued');
      await Promise.all(fresh.map((n) => this.settleIfFinished(nthPrimeJobId(n))));
    } catch (error) {
      if (this.producer.status !== 'ready') throw unreachable(error);
      throw error;
    }
  }

  private wholeJob(n: number, plan: NthPrimePlan | null): FlowJob {
    const data: WholeJobData = { kind: 'whole', n: String(n), plan };
    return {
      name: nthPrimeJobName(n, 1),
      queueName: this.options.queueName,
      data,
      opts: { ...this.jobOptions, jobId: nthPrimeJobId(n) },
    };
  }

  /** One job for a plan of one chunk; a flow of chunk children (largest first) and a combining parent otherwise. */
  private jobOf(
    plan: NthPrimePlan,
    onChunks: (n: number, ids: readonly string[]) => void,
  ): FlowJob {
    const { n } = plan;
    if (plan.chunks.length <= 1) return this.wholeJob(n, plan);
    onChunks(n, plan.chunks.map(chunkJobId));
    const data: CombineJobData = { kind: 'combine', n: String(n), parts: plan.chunks.length, plan };
    const chunks = [...plan.chunks].sort((a, b) => b.seconds - a.seconds);
    return {
      name: nthPrimeJobName(n, plan.chunks.length),
      queueName: this.options.queueName,
      data,
      opts: { ...this.jobOptions, jobId: nthPrimeJobId(n) },
      children: chunks.map((chunk) => {
        const childData: ChunkJobData = {
          kind: 'chunk',
          n: String(n),
          part: chunk.index + 1,
          parts: chunk.count,
          label: chunk.label,
          chunk,
        };
        return {
          name: chunkJobName(chunk),
          queueName: this.options.queueName,
          data: childData,
          opts: { ...this.jobOptions, jobId: chunkJobId(chunk), failParentOnFailure: true },
        };
      }),
    };
  }

  /**
   * Removes a failed job and its chunks. A chunk of a just-cancelled flow may
   * still be winding down (its lock blocks the removal): retry for up to two
   * seconds, about twice the longest chunk.
   */
  private async removeStale(id: string): Promise<void> {
    for (let attempt = 0; attempt < 40; attempt++) {
      if ((await this.queue.remove(id, { removeChildren: true })) === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new UnavailableError(`job ${id} is still being cancelled; retry`);
  }

  private async settleIfFinished(id: string): Promise<Job<NthPrimeJobData> | undefined> {
    const job = await Job.fromId<NthPrimeJobData>(this.queue, id);
    if (job === undefined) return undefined;
    if (job.finishedOn !== undefined && job.failedReason === undefined) {
      this.settle(id, () => parseNthPrimeJobResult(job.returnvalue));
    } else if (job.finishedOn !== undefined) {
      this.settle(id, () => {
        throw this.failure(id, job.failedReason);
      });
    }
    return job;
  }

  /** Aborts the job wherever a worker runs it, and removes whatever still waits. */
  private async discard(id: string, chunkIds: readonly string[]): Promise<void> {
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
    // Let cancellations reach Redis before the connection goes.
    await Promise.allSettled([...this.discarding]);
    for (const [jobId, waiter] of this.waiters) {
      waiter.reject(new UnavailableError('the server is shutting down'));
      this.waiters.delete(jobId);
    }
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
