import type { Logger } from '../logger.js';
import { type DiscardTarget, discardJob } from './job-discard.js';
import { type SharedWaitKeys, sweep } from './shared-wait-scripts.js';

/** How often each worker sweeps. */
const SWEEP_MS = 1000;
/** A gap between sweeps longer than this means Redis (or every worker) was away... */
const GAP_MS = 3000;
/** ...and the sweeps then pause this long, time for the live API replicas to beat again. */
const QUIET_MS = 2500;

/**
 * The workers' side of the shared waits (shared-wait-scripts.ts): every second, each worker
 * takes the API replicas that stopped beating (killed, or their node lost) off the waiters of
 * their jobs and gives up every job nobody else waits for, so no worker computes for a client
 * that is gone: the cancel message aborts the chunks that run, wherever they run, and the rest
 * of the flow is removed. A replica is swept 4 s after its last beat; its jobs stop within a
 * second more.
 */
export class ReplicaSweep {
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly target: DiscardTarget,
    private readonly keys: SharedWaitKeys,
    private readonly logger: Logger,
  ) {}

  /** Starts sweeping; safe to call twice. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    const { publisher } = this.target;
    if (this.sweeping || publisher.status !== 'ready') return;
    this.sweeping = true;
    try {
      for (const id of await sweep(publisher, this.keys, GAP_MS, QUIET_MS)) {
        this.logger.info({ jobId: id }, 'job abandoned: no API replica waits for it any more');
        // The sweep has already taken it off the books: one failure must not keep the rest.
        await discardJob(this.target, id).catch((error: unknown) =>
          this.logger.warn({ err: error, jobId: id }, 'could not discard an abandoned job'),
        );
      }
    } catch (error) {
      this.logger.debug({ err: error }, 'could not sweep the API replicas');
    } finally {
      this.sweeping = false;
    }
  }
}
