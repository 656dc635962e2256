import type { PrimeTarget } from './prime-target.js';

/** Where a job's outcome is delivered: the promise a request awaits. */
interface Waiter {
  readonly target: PrimeTarget;
  /** Times the job was found gone and added again for this wait. */
  requeues: number;
  resolve(answer: bigint): void;
  reject(error: unknown): void;
}

/** A wait whose job may have to be added again. */
export interface WantedJob {
  readonly id: string;
  readonly target: PrimeTarget;
  readonly requeues: number;
}

/**
 * The requests of this API replica waiting for a job's result, by job id. Queue events and
 * direct looks at a job settle them; a wait whose job is being (re)added right now ignores
 * events, which may still come from an earlier run of the same id.
 */
export class JobWaiters {
  private readonly waiting = new Map<string, Waiter>();
  private readonly beingAdded = new Set<string>();

  /** The answer of target from job id, once settled; rejects with the signal's reason when it aborts first. */
  wait(id: string, target: PrimeTarget, signal: AbortSignal): Promise<bigint> {
    const result = new Promise<bigint>((resolve, reject) => {
      this.waiting.set(id, { target, requeues: 0, resolve, reject });
      signal.addEventListener(
        'abort',
        () => {
          this.waiting.delete(id);
          reject(signal.reason);
        },
        { once: true },
      );
    });
    // The registry may cancel before anyone awaits: never an unhandled rejection.
    result.catch(() => undefined);
    return result;
  }

  /** Marks ids as being added until `added` settles: events of their earlier runs are ignored. */
  adding<T>(ids: readonly string[], added: Promise<T>): Promise<T> {
    for (const id of ids) this.beingAdded.add(id);
    return added.finally(() => {
      for (const id of ids) this.beingAdded.delete(id);
    });
  }

  /** Whether a request still waits for id (a cancel ends its wait at once). */
  isWaiting(id: string): boolean {
    return this.waiting.has(id);
  }

  /** Whether an event about this id may settle a wait: someone waits, and no add is under way. */
  expects(id: string): boolean {
    return this.waiting.has(id) && !this.beingAdded.has(id);
  }

  /** The waits events may settle now: every one whose job is not being added. */
  expected(): WantedJob[] {
    return [...this.waiting]
      .filter(([id]) => !this.beingAdded.has(id))
      .map(([id, { target, requeues }]) => ({ id, target, requeues }));
  }

  /** Counts one more requeue for the wait on id; returns the wait, or undefined if nobody waits. */
  requeued(id: string): WantedJob | undefined {
    const waiter = this.waiting.get(id);
    if (waiter === undefined) return undefined;
    waiter.requeues += 1;
    return { id, target: waiter.target, requeues: waiter.requeues };
  }

  /** Settles the wait for id with outcome's value, or with what it throws; no-op if nobody waits. */
  settle(id: string, outcome: () => bigint): void {
    const waiter = this.waiting.get(id);
    if (waiter === undefined) return;
    this.waiting.delete(id);
    try {
      waiter.resolve(outcome());
    } catch (error) {
      waiter.reject(error);
    }
  }

  /** Fails every wait with error (on shutdown). */
  rejectAll(error: unknown): void {
    for (const [id, waiter] of this.waiting) {
      this.waiting.delete(id);
      waiter.reject(error);
    }
  }

  /** The job ids waited for. */
  ids(): string[] {
    return [...this.waiting.keys()];
  }

  get size(): number {
    return this.waiting.size;
  }
}
