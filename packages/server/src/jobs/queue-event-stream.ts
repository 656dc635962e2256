import { type Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { CLOSE_STEP_MS, settlesWithin } from '../redis/bounded-close.js';
import {
  closeConnection,
  createBlockingConnection,
  type RedisTarget,
} from '../redis/redis-connections.js';
import { followJobOutcomes } from './job-outcomes.js';
import type { JobProgress } from './job-progress.js';
import type { JobWaiters } from './job-waiters.js';
import type { PrimeJobData } from './prime-job.js';

/** What the event stream needs from the runner. */
export interface QueueEventStreamDeps {
  readonly redis: RedisTarget;
  readonly prefix: string;
  readonly queueName: string;
  readonly queue: Queue<PrimeJobData>;
  readonly waiters: JobWaiters;
  readonly progress: JobProgress;
  /** A job this replica waits for is gone: add it again. */
  readonly onLost: (jobId: string) => void;
  readonly logger: Logger;
}

/**
 * The queue's event stream as this replica reads it: outcomes settle the waits
 * (job-outcomes.ts), progress goes to the feeds. Opened once Redis answers: closing a
 * QueueEvents whose connection never came up leaks an unhandled rejection in BullMQ.
 */
export class QueueEventStream {
  private events: QueueEvents | undefined;
  private template: Redis | undefined;

  constructor(private readonly deps: QueueEventStreamDeps) {}

  /** Starts reading (once; later calls return the same reader). */
  open(): QueueEvents {
    if (this.events !== undefined) return this.events;
    const { redis, prefix, queueName, queue, waiters, progress, onLost, logger } = this.deps;
    // QueueEvents duplicates the connection it is given; the template never connects itself.
    this.template = createBlockingConnection(redis, `${prefix}:api:events`, { lazy: true });
    const events = new QueueEvents(queueName, { connection: this.template, prefix });
    this.events = events;
    events.on('error', (error) => logger.warn({ err: error }, 'redis error'));
    followJobOutcomes(events, queue, waiters, onLost, logger);
    events.on('progress', ({ jobId, data }) => progress.relay(jobId, data));
    return events;
  }

  /** Closes the reader and its connection, if it was opened; with Redis away, within CLOSE_STEP_MS. */
  async close(): Promise<void> {
    const { events, template } = this;
    try {
      if (events !== undefined && !(await settlesWithin(events.close(), CLOSE_STEP_MS))) {
        throw new Error(`the queue's event reader did not close within ${CLOSE_STEP_MS} ms`);
      }
    } finally {
      if (template !== undefined) await closeConnection(template);
    }
  }
}
