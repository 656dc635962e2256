import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import { settleIfFinished } from './job-outcomes.js';
import type { JobWaiters } from './job-waiters.js';
import type { PrimeJobData } from './prime-job.js';
import type { PrimeTarget } from './prime-target.js';

/** Times a lost job is added again for one wait before the call fails UNAVAILABLE. */
const MAX_REQUEUES = 3;

/** How often the jobs waited for are looked at directly, in case an event was missed. */
const RECONCILE_MS = 2000;

/**
 * Jobs this replica still waits for that are gone (another replica gave them up, or Redis lost
 * its data): they are added again, a few times at most, since the requests still want them.
 * Events are the fast path (`requeue`); a periodic look catches what they cannot say.
 */
export class LostJobRecovery {
  private reconciling = false;
  /** Jobs waited for that the last periodic look did not find. */
  private missing = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly producer: Redis,
    private readonly queue: Queue<PrimeJobData>,
    private readonly waiters: JobWaiters,
    /** Adds target again, ahead of other work (lost work is owed already). */
    private readonly addAgain: (target: PrimeTarget) => void,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.reconcile(false), RECONCILE_MS);
    this.timer.unref();
  }

  /** The job id is gone while a request here waits for it. */
  requeue(id: string): void {
    const wanted = this.waiters.requeued(id);
    if (wanted === undefined) return;
    if (wanted.requeues > MAX_REQUEUES) {
      this.waiters.settle(id, () => {
        throw new UnavailableError(`job ${id} was lost ${MAX_REQUEUES} times; retry`);
      });
      return;
    }
    this.logger.info({ jobId: id, requeues: wanted.requeues }, 'job lost, adding it again');
    this.addAgain(wanted.target);
  }

  /**
   * Looks at every job this replica waits for: settles the finished ones and re-adds the gone
   * ones. `afterReconnect`: Redis came back, and gone means lost. On the periodic look a job
   * must be missing twice running before it counts as lost: a job kept for no time after it
   * completes is gone a moment before its completion event arrives.
   */
  async reconcile(afterReconnect: boolean): Promise<void> {
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

  stop(): void {
    clearInterval(this.timer);
  }
}
