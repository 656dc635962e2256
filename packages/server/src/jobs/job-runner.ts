import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { PrimeTarget } from './prime-target.js';
import type { ProgressListener } from './progress-feed.js';

/** One computation, of a target (the nth prime or pi(x)), handed to a runner. */
export interface PrimeJob {
  /**
   * Tells `listener` how many parts of the computation are done as they finish (the chunks of a
   * plan and the step that combines them); returns the function that stops it.
   */
  watch(listener: ProgressListener): () => void;
  /** Settles once the work is accepted (queued in Redis or in the pool); rejects with UnavailableError. */
  readonly dispatched: Promise<void>;
  /** The target's answer. Rejects with an AbortError after cancel(). */
  readonly result: Promise<bigint>;
  /**
   * Gives the work up: result rejects at once; a waiting job is removed, a running one aborted.
   * Resolves once nothing of it stays queued or running (never rejects). Safe to call twice.
   */
  cancel(): Promise<void>;
}

/** How a batch is queued. */
export interface StartOptions {
  /**
   * 1 runs first; work of a larger number waits behind all queued work of smaller ones (BullMQ
   * job priority, or the pool's queue order). The registry makes it fair between clients.
   */
  readonly priority?: number;
  /** Who asked (CallContext.client): the queue transport shares its work in flight across replicas. */
  readonly client?: string;
}

/** Runs heavy work away from the gRPC thread: in worker threads or on a BullMQ queue. */
export interface JobRunner {
  readonly kind: 'embedded' | 'bullmq';
  /**
   * Starts computing each target (distinct, validated, beyond what is answered inline),
   * planned as one batch for the parallelism that serves it; one job per target, in order.
   */
  start(targets: readonly PrimeTarget[], options?: StartOptions): PrimeJob[];
  /** Registers the runner's own metrics: the threads' warm-up, or the queue's depth. */
  registerMetrics(registry: Registry, logger: Logger): void;
  /** Calls listener now and on every change of readiness (for BullMQ: Redis reachable); returns an unsubscribe. */
  watchReadiness(listener: (ready: boolean) => void): () => void;
  /** Work still tracked (pool tasks, job waiters); 0 once every job settled or was cancelled. */
  pendingCount(): number;
  /**
   * The process is going away: from now on a cancel leaves queued work to finish instead of
   * removing it (in Redis mode another replica may share the job, and a retry joins it).
   */
  beginShutdown(): void;
  /** Stops the runner: cancels what is pending and closes threads or connections. Safe to call twice. */
  close(): Promise<void>;
}
