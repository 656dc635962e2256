import { FlowProducer, type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { registerQueueDepth } from '../metrics/queue-depth.js';
import { closeInTurn } from '../redis/bounded-close.js';
import {
  closeConnection,
  createProducerConnection,
  type RedisTarget,
} from '../redis/redis-connections.js';
import { isCommandTimeout, redisUnavailable } from '../redis/redis-failure.js';
import { RedisStallWatch } from '../redis/redis-stall-watch.js';
import { ClientBacklog } from './client-backlog.js';
import { enqueueBatch, type FlowEnqueuerDeps } from './flow-enqueuer.js';
import { JobCancellation } from './job-cancellation.js';
import { JobProgress } from './job-progress.js';
import type { JobRunner, PrimeJob, StartOptions } from './job-runner.js';
import { JobWaiters } from './job-waiters.js';
import { LostJobRecovery } from './lost-job-recovery.js';
import { cancelChannel, type PrimeJobData } from './prime-job.js';
import { type PrimeTarget, targetId } from './prime-target.js';
import { QueueEventStream } from './queue-event-stream.js';
import { sharedWaitKeys } from './shared-wait-scripts.js';
import { SharedWaits } from './shared-waits.js';
import { WorkerCapacity } from './worker-capacity.js';

/** Options of the BullMQ runner (the API side of the queue). */
export interface BullmqJobRunnerOptions {
  /** REDIS_URL and REDIS_TLS_CA_FILE. */
  readonly redis: RedisTarget;
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
  /** The least parallelism planned for, whatever the workers counted (QUEUE_PARALLELISM). */
  readonly parallelismFloor: number;
  /** REDIS_COMMAND_TIMEOUT_MS; default 2000. */
  readonly commandTimeoutMs?: number;
}

const QUEUEING = 'heavy work cannot be queued';

const abortError = (): Error => Object.assign(new Error('job cancelled'), { name: 'AbortError' });

/**
 * The queue transport: heavy work as BullMQ jobs run by `twelvefa-worker` processes. A target is
 * one job with a deterministic id, so replicas share it; a split one is a flow (prime-flow.ts).
 * This class holds the waits' lifecycle and the order of adds and discards; the rest is
 * flow-enqueuer.ts (join or add), queue-event-stream.ts (outcomes, progress),
 * lost-job-recovery.ts and job-cancellation.ts.
 */
export class BullmqJobRunner implements JobRunner {
  readonly kind = 'bullmq' as const;
  /** The queue, for tests and admin tasks that inspect jobs. */
  readonly queue: Queue<PrimeJobData>;
  private readonly producer: Redis;
  private readonly flows: FlowProducer;
  private readonly waiters = new JobWaiters();
  private readonly progress = new JobProgress();
  private readonly cancellation: JobCancellation;
  private readonly events: QueueEventStream;
  private readonly recovery: LostJobRecovery;
  private readonly enqueuer: FlowEnqueuerDeps;
  private readonly stallWatch: RedisStallWatch;
  private readonly shared: SharedWaits;
  private steps: Promise<void> = Promise.resolve();
  private shuttingDown = false;
  private closing: Promise<void> | undefined;

  constructor(
    options: BullmqJobRunnerOptions,
    private readonly logger: Logger,
  ) {
    const { queueName, queuePrefix: prefix, redis } = options;
    this.producer = createProducerConnection(
      redis,
      `${prefix}:api:producer`,
      options.commandTimeoutMs,
    );
    this.stallWatch = new RedisStallWatch(this.producer);
    this.queue = new Queue<PrimeJobData>(queueName, { connection: this.producer, prefix });
    this.flows = new FlowProducer({ connection: this.producer, prefix });
    this.cancellation = new JobCancellation(
      this.producer,
      this.queue,
      cancelChannel(prefix, queueName),
      logger,
    );
    // Lost work is owed already: it goes first.
    this.recovery = new LostJobRecovery(
      this.producer,
      this.queue,
      this.waiters,
      (target) => void this.add([target], 1),
      logger,
    );
    this.events = new QueueEventStream({
      redis,
      prefix,
      queueName,
      queue: this.queue,
      waiters: this.waiters,
      progress: this.progress,
      onLost: (id) => this.recovery.requeue(id),
      logger,
    });
    const jobOptions: JobsOptions = {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      removeOnComplete: { count: options.keepCompleted },
      removeOnFail: { count: options.keepFailed },
    };
    const sharedKeys = sharedWaitKeys(prefix, queueName);
    this.shared = new SharedWaits({
      redis: this.producer,
      keys: sharedKeys,
      waiting: () => this.waiters.ids(),
      onOrphaned: (id) => void this.serially(() => this.giveUp(id, false)),
      responsive: () => this.stallWatch.responsive,
      logger,
    });
    this.enqueuer = {
      queue: this.queue,
      shared: this.shared,
      backlog: new ClientBacklog(this.producer, sharedKeys, this.shared.replica, logger),
      flows: this.flows,
      waiters: this.waiters,
      progress: this.progress,
      cancellation: this.cancellation,
      capacity: new WorkerCapacity(this.queue, options.parallelismFloor, logger),
      queueName,
      jobOptions,
      logger,
    };
    this.producer.on('error', this.onRedisError);
    this.queue.on('error', this.onRedisError);
    this.flows.on('error', this.onRedisError);
    this.producer.once('ready', () => {
      this.events.open();
      this.shared.start();
      // From the second connection on, Redis may have come back without the jobs waited for.
      this.producer.on('ready', () => void this.recovery.reconcile(true));
    });
  }

  private readonly onRedisError = (error: Error): void => {
    this.logger.warn({ err: error }, 'redis error');
  };

  /** Resolves once Redis answered and the event stream is being read; rejects if Redis is unreachable. */
  async waitUntilReady(): Promise<void> {
    await this.queue.waitUntilReady();
    await this.events.open().waitUntilReady();
  }

  start(targets: readonly PrimeTarget[], options: StartOptions = {}): PrimeJob[] {
    const { client } = options;
    const controllers = targets.map(() => new AbortController());
    // Waits are registered before any job is added, so a completion event cannot be missed.
    const results = targets.map((target, i) => {
      const result = this.waiters.wait(targetId(target), target, controllers[i]!.signal);
      // Answered, failed or cancelled: no longer this client's work in flight here. (Its place
      // among the job's waiters goes with the next beat, which states only what is waited for.)
      if (client !== undefined) {
        const done = (): void => this.enqueuer.backlog.ended(client, target);
        result.then(done, done);
      }
      return result;
    });
    if (client !== undefined) this.enqueuer.backlog.started(client, targets);
    const dispatched = this.add(targets, options.priority ?? 1, client);
    return targets.map((target, i) => ({
      dispatched,
      result: results[i]!,
      watch: (listener) => this.progress.feedOf(targetId(target), results[i]!).watch(listener),
      cancel: async () => {
        const controller = controllers[i]!;
        if (controller.signal.aborted) return;
        controller.abort(abortError());
        // At shutdown the job is left to finish: another replica may share it, a retry joins it.
        if (this.shuttingDown) return;
        // After the add has settled, so the removal cannot come before the jobs arrive.
        await this.serially(() => this.giveUp(targetId(target), true));
      },
    }));
  }

  /**
   * Gives up job id unless a request here wants it again, or (`leaving`: this replica's last
   * request dropped it) another replica still waits for it.
   */
  private async giveUp(id: string, leaving: boolean): Promise<void> {
    // Stalled, it would only wait: the first beat after the stall reports the job orphaned.
    if (this.waiters.isWaiting(id) || !this.stallWatch.responsive) return;
    if (leaving && !(await this.shared.leave(id))) return;
    await this.cancellation.discard(id);
  }

  /** Adds the jobs of targets behind every earlier add and discard; a failure fails their waits. */
  private add(targets: readonly PrimeTarget[], priority: number, client?: string): Promise<void> {
    const ids = targets.map(targetId);
    const added = this.waiters.adding(
      ids,
      this.serially(() => this.enqueue(targets, priority, client)),
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

  private async enqueue(
    targets: readonly PrimeTarget[],
    priority: number,
    client?: string,
  ): Promise<void> {
    const unanswered = this.stallWatch.unanswered(QUEUEING);
    if (unanswered !== undefined) throw unanswered;
    try {
      await enqueueBatch(this.enqueuer, targets, priority, client);
    } catch (error) {
      // The adds behind this one fail at once instead of timing out one after another.
      if (isCommandTimeout(error)) this.stallWatch.noteTimeout();
      throw redisUnavailable(error, QUEUEING, this.producer.status === 'ready') ?? error;
    }
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

  beginShutdown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    void this.shared.keepForRetry();
  }

  /** Ready while Redis is connected and answering (a stall is noticed within 3 s). */
  registerMetrics(registry: Registry, logger: Logger): void {
    registerQueueDepth(registry, [this.queue], logger);
  }

  watchReadiness(listener: (ready: boolean) => void): () => void {
    return this.stallWatch.watchAnswering(listener);
  }

  pendingCount(): number {
    return this.waiters.size;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.beginShutdown();
    this.recovery.stop();
    this.stallWatch.stop();
    // Let adds and discards under way reach Redis before the connection goes.
    await this.steps;
    this.waiters.rejectAll(new UnavailableError('the server is shutting down; retry'));
    const steps = [
      () => this.events.close(),
      () => this.flows.close(),
      () => this.queue.close(),
      () => closeConnection(this.producer),
    ];
    await closeInTurn(steps, (error) =>
      this.logger.warn({ err: error }, 'error while closing the job queue'),
    );
  }
}
