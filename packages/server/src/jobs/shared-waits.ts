import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { heartbeat, leave, type SharedWaitKeys } from './shared-wait-scripts.js';

/** How often a replica says it is alive, and re-states the jobs it waits for. */
const HEARTBEAT_MS = 1000;
/** A replica that has not beaten for this long is dead (kill -9, lost node): workers sweep it. */
export const REPLICA_ALIVE_FOR_MS = 4000;
/**
 * After SIGTERM, how long the jobs a replica leaves behind are still waited for on its behalf:
 * the time its clients' retries have to reach another replica and join them.
 */
export const KEPT_FOR_RETRY_MS = 30_000;

/** What the shared waits need from the runner. */
export interface SharedWaitsDeps {
  readonly redis: Redis;
  readonly keys: SharedWaitKeys;
  /** The job ids this replica waits for now. */
  readonly waiting: () => readonly string[];
  /** A job this replica stopped waiting for and nobody else waits for: give it up. */
  readonly onOrphaned: (id: string) => void;
  /** False while Redis is stalled: nothing is sent that would only wait (the next beat catches up). */
  readonly responsive: () => boolean;
  readonly logger: Logger;
}

/**
 * This replica's part in the shared waits (shared-wait-scripts.ts): it joins the waiters of each
 * job it adds or joins, leaves them when its last request gives a job up (which cancels the job
 * only when no other replica waits for it), and beats every second, re-stating every job it
 * waits for. A leave lost to a Redis failure is made good by the next beat; a replica that
 * stops beating is swept by the workers 4 s later, and its jobs with it unless another replica
 * still waits for them.
 */
export class SharedWaits {
  /** This replica's id among the waiters: host, pid and a random part (pids repeat in containers). */
  readonly replica = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | undefined;
  private beating = false;

  constructor(private readonly deps: SharedWaitsDeps) {}

  /** Starts beating (once Redis is reachable); safe to call twice. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.timer.unref();
    void this.beat();
  }

  /** Adds this replica to the waiters of ids; rejects on a Redis failure (the add fails with it). */
  async join(ids: readonly string[]): Promise<void> {
    const { redis, keys } = this.deps;
    await heartbeat(redis, keys, this.replica, REPLICA_ALIVE_FOR_MS, ids, false);
  }

  /**
   * Takes this replica off the waiters of id: true when nobody waits for it any more and it is
   * to be given up. A Redis failure answers false: the next beat that reaches Redis leaves it.
   */
  async leave(id: string): Promise<boolean> {
    const { redis, keys, logger, responsive } = this.deps;
    if (!responsive()) return false;
    try {
      return await leave(redis, keys, this.replica, id);
    } catch (error) {
      logger.debug({ err: error, jobId: id }, 'could not leave the waiters of a job');
      return false;
    }
  }

  /**
   * The process is going away (SIGTERM): stops beating and keeps this replica's waits for
   * KEPT_FOR_RETRY_MS, so a retry elsewhere can join the jobs instead of starting them again.
   */
  async keepForRetry(): Promise<void> {
    this.stop();
    const { redis, keys, waiting, logger } = this.deps;
    try {
      // Exact: what it no longer waits for (answered while a leave was on its way) goes now.
      await heartbeat(redis, keys, this.replica, KEPT_FOR_RETRY_MS, waiting(), true);
    } catch (error) {
      logger.debug({ err: error }, 'could not keep the jobs waited for');
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    const { redis, keys, waiting, onOrphaned, logger, responsive } = this.deps;
    if (this.beating || redis.status !== 'ready' || !responsive()) return;
    this.beating = true;
    try {
      const orphaned = await heartbeat(
        redis,
        keys,
        this.replica,
        REPLICA_ALIVE_FOR_MS,
        waiting(),
        true,
      );
      for (const id of orphaned) onOrphaned(id);
    } catch (error) {
      logger.debug({ err: error }, 'shared waits heartbeat failed');
    } finally {
      this.beating = false;
    }
  }
}
