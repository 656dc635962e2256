import { type Job, Queue, Worker } from 'bullmq';
import type { WorkerConfig } from '../config/worker-config.js';
import type { Logger } from '../logger.js';
import { closeInTurn, settlesWithin } from '../redis/bounded-close.js';
import { closeConnection, createBlockingConnection } from '../redis/redis-connections.js';
import {
  CANCELLED_JOB_REASON,
  cancelChannel,
  type PrimeJobData,
  workerConnectionName,
} from './prime-job.js';
import { PrimePool } from './prime-pool.js';
import { createPrimeProcessor, reportFlowProgress, SHUTDOWN_REASON } from './prime-processor.js';
import { ReplicaSweep } from './replica-sweep.js';
import { sharedWaitKeys } from './shared-wait-scripts.js';

/**
 * A BullMQ worker for prime jobs: WORKER_CONCURRENCY jobs at once, each on
 * its own thread, aborting jobs the API cancels.
 */
export class PrimeWorker {
  private readonly connection;
  private readonly subscriber;
  private readonly pool: PrimePool;
  private readonly queue: Queue<PrimeJobData>;
  private readonly sweep: ReplicaSweep;
  /** The BullMQ worker, for listeners such as the job metrics. */
  readonly worker: Worker<PrimeJobData>;
  private closing: Promise<void> | undefined;
  /** Seconds the compute threads took to warm up before the first job; undefined until then. */
  private warmedUpIn: number | undefined;

  constructor(
    private readonly config: WorkerConfig,
    private readonly logger: Logger,
  ) {
    const prefix = config.queuePrefix;
    const { redis } = config;
    this.connection = createBlockingConnection(redis, `${prefix}:worker`);
    this.subscriber = createBlockingConnection(redis, `${prefix}:worker:cancel`);
    this.pool = new PrimePool(config.workerConcurrency);
    this.queue = new Queue<PrimeJobData>(config.queueName, {
      connection: this.connection,
      prefix,
    });
    // Jobs whose every API replica died stop here too, not only where they were asked.
    this.sweep = new ReplicaSweep(
      {
        queue: this.queue,
        publisher: this.connection,
        channel: cancelChannel(prefix, config.queueName),
      },
      sharedWaitKeys(prefix, config.queueName),
      logger,
    );
    const processor = createPrimeProcessor({ pool: this.pool, queue: this.queue, logger });
    this.worker = new Worker<PrimeJobData>(config.queueName, processor, {
      connection: this.connection,
      prefix,
      // The API plans for the workers it can count, and reads their concurrency from this name.
      name: workerConnectionName(config.workerName, config.workerConcurrency),
      concurrency: config.workerConcurrency,
      lockDuration: config.workerLockDurationMs,
      stalledInterval: config.workerStalledIntervalMs,
      maxStalledCount: config.workerMaxStalledCount,
      removeOnComplete: { count: config.jobKeepCompleted },
      removeOnFail: { count: config.jobKeepFailed },
      autorun: false,
    });
    this.worker.on('error', (error) => logger.error({ err: error }, 'worker error'));
    this.worker.on('completed', (job) => {
      logger.info({ jobId: job.id, job: job.name }, 'job completed');
      // Counted once BullMQ recorded the completion, so the parent's count includes this chunk.
      reportFlowProgress(job, this.queue).catch((error: unknown) =>
        logger.debug({ err: error, jobId: job.id }, 'could not report progress'),
      );
    });
    this.worker.on('failed', (job, error) => {
      if (job !== undefined && error.message === CANCELLED_JOB_REASON) {
        this.removeCancelled(job);
        return;
      }
      logger.warn({ jobId: job?.id, job: job?.name, reason: error.message }, 'job failed');
    });
    this.worker.on('stalled', (jobId) => logger.warn({ jobId }, 'job stalled, back to the queue'));
    for (const connection of [this.connection, this.subscriber, this.queue] as const) {
      connection.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
    }
    this.subscriber.on('message', (_channel: string, jobId: string) => {
      if (this.worker.cancelJob(jobId, CANCELLED_JOB_REASON)) {
        logger.info({ jobId }, 'job cancelled by the API');
      }
    });
  }

  /**
   * A job the API cancelled is nobody's failure: it is removed rather than kept with the
   * failures, and so is its flow, which BullMQ failed along with it.
   */
  private removeCancelled(job: Job<PrimeJobData>): void {
    const parentId = job.parent?.id;
    const removal = async (): Promise<void> => {
      // Just after the failure BullMQ can still refuse the flow's removal (it answers 0): try
      // again for up to a second, until it is gone.
      for (let attempt = 0; parentId !== undefined && attempt < 20; attempt++) {
        if ((await this.queue.remove(parentId, { removeChildren: true })) === 1) break;
        if ((await this.queue.getJobState(parentId)) === 'unknown') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The API may have removed the flow already (it discards what waits): this chunk, failed
      // after that, belongs to no flow any more and goes on its own.
      if (job.id !== undefined) await this.queue.remove(job.id);
    };
    removal().then(
      () => this.logger.debug({ jobId: job.id }, 'cancelled job removed'),
      (error: unknown) =>
        this.logger.debug({ err: error, jobId: job.id }, 'could not remove a cancelled job'),
    );
  }

  /** Seconds the compute threads took to warm up before the first job; undefined until then. */
  get warmUpSeconds(): number | undefined {
    return this.warmedUpIn;
  }

  /** Consuming jobs: started, connected to Redis, and not shutting down (the worker's /readyz). */
  get ready(): boolean {
    return (
      this.worker.isRunning() &&
      this.connection.status === 'ready' &&
      this.subscriber.status === 'ready' &&
      this.closing === undefined
    );
  }

  /**
   * Warms the compute threads, connects, subscribes to cancellations and starts consuming;
   * resolves once it does. Warm first: a cold thread would spend the first job compiling.
   */
  async start(): Promise<void> {
    const [warmUpMs] = await Promise.all([
      this.pool.warmUp(),
      this.subscriber.subscribe(cancelChannel(this.config.queuePrefix, this.config.queueName)),
      this.worker.waitUntilReady(),
    ]);
    this.warmedUpIn = warmUpMs / 1000;
    this.sweep.start();
    this.worker
      .run()
      .catch((error: unknown) => this.logger.error({ err: error }, 'worker stopped'));
    this.logger.info(
      {
        queue: this.config.queueName,
        concurrency: this.config.workerConcurrency,
        worker: this.config.workerName,
        warmUpMs: Math.round(warmUpMs),
      },
      'worker ready',
    );
  }

  /**
   * Stops taking jobs and lets active ones finish within graceMs; after that
   * they are handed back to the queue for another worker. Safe to call twice.
   */
  close(graceMs: number): Promise<void> {
    this.closing ??= this.shutdown(graceMs);
    return this.closing;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.sweep.stop();
    const closed = this.worker.close().catch(this.warnOnCloseError);
    if (!(await settlesWithin(closed, graceMs))) {
      this.logger.warn({ graceMs }, 'grace period over, handing active jobs back');
      this.worker.cancelAllJobs(SHUTDOWN_REASON);
      // Handing a job back is a Redis call: with Redis gone it never returns, and the process
      // must still exit. The jobs then come back when their locks expire, as after a crash.
      if (!(await settlesWithin(closed, HAND_BACK_MS))) {
        this.logger.warn(
          { waitedMs: HAND_BACK_MS },
          'Redis did not confirm the hand-back; disconnecting (the active jobs return to the queue when their locks expire)',
        );
        this.connection.disconnect();
        this.subscriber.disconnect();
      }
    }
    const steps = [
      () => this.queue.close(),
      () => this.pool.close(),
      () => closeConnection(this.subscriber),
      () => closeConnection(this.connection),
    ];
    await closeInTurn(steps, this.warnOnCloseError);
  }

  private readonly warnOnCloseError = (error: unknown): void => {
    this.logger.warn({ err: error }, 'error while closing the worker');
  };
}

/** How long a worker past its grace waits for Redis to take its active jobs back. */
const HAND_BACK_MS = 2_000;
