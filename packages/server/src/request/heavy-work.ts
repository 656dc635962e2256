// The request machine's one waiting step: the heavy n of a call, held in the job registry
// while their answers are computed, in a window when the call asks for more than it may hold.
import { fromPromise } from 'xstate';
import { abortable } from '../abortable.js';
import type { JobLease, JobRegistry } from '../jobs/job-registry.js';
import type { CallContext, HeavyProgress, HeavyProgressListener } from './call-context.js';

/** Where heavy work is asked for: the job registry (or a test's stand-in). */
export type HeavyWorkSource = Pick<
  JobRegistry,
  'acquire' | 'room' | 'needsRoom' | 'clientShare' | 'roomFreed'
>;

/** Input of the heavy-work actor: the distinct heavy n of the request, and its call. */
export interface HeavyWorkInput {
  readonly ns: readonly number[];
  readonly context: CallContext;
  readonly source: HeavyWorkSource;
}

/** The heavy-work actor: the primes of input.ns, in order (see computeHeavyWork). */
export const heavyWork = fromPromise<readonly number[], HeavyWorkInput>(({ input, signal }) =>
  computeHeavyWork(input, signal),
);

/**
 * The primes of a request's heavy n (input.ns, distinct), in order, computed through the
 * registry in a window: as many n as the client may start now (its share of MAX_IN_FLIGHT) are
 * held at once, queued fairly for the call's client, and once half of them are answered the
 * next are started, waiting for room when other calls took it. So a batch larger than
 * MAX_IN_FLIGHT runs in turn instead of being refused, and one client never holds more than its
 * share. Refuses the call (ResourceExhaustedError, with the figures) only when not one n can
 * start now. Their progress goes to the call's listener. Every lease is released however it
 * ends: answered, failed, or aborted through `signal`, which has one listener at a time
 * however many n the call waits for.
 */
export async function computeHeavyWork(
  input: HeavyWorkInput,
  signal: AbortSignal,
): Promise<number[]> {
  const { ns, source } = input;
  const { client } = input.context;
  const onProgress = input.context.call.onProgress;
  // Synchronous up to here: the first leases are held before the actor yields.
  let next = firstWindow(source, ns, client);
  const first = source.acquire(ns.slice(0, next), client);
  const primes = new Map<number, number>();
  const progress = onProgress && new LatestProgress(onProgress);
  const held = new Set<JobLease>();
  const running = new Set<Promise<void>>();
  const hold = (leases: readonly JobLease[]): void => {
    for (const lease of leases) {
      held.add(lease);
      const stopWatching = progress?.follow(lease);
      const answered: Promise<void> = lease.result
        .then((prime) => {
          primes.set(lease.n, prime);
        })
        .finally(() => {
          stopWatching?.();
          held.delete(lease);
          lease.release();
          running.delete(answered);
        });
      // Raced below; one failing after the call has ended is no unhandled rejection.
      answered.catch(() => undefined);
      running.add(answered);
    }
  };
  try {
    hold(first);
    const share = source.clientShare;
    while (running.size > 0) {
      await abortable(Promise.race(running), signal);
      // Topped up in bulk once half is answered: each top-up is a batch to plan and queue.
      if (running.size > share / 2) continue;
      while (next < ns.length && running.size < share) {
        const more = await acquireWhenRoom(source, ns.slice(next), client, signal);
        next += more.length;
        hold(more);
      }
    }
    return ns.map((n) => primes.get(n) as number);
  } finally {
    for (const lease of held) lease.release();
  }
}

/**
 * How many of ns, from the first, can be held now: every one cached or in flight already, and
 * as many new ones as there is room for. Throws the registry's refusal when not even the first.
 */
function firstWindow(source: HeavyWorkSource, ns: readonly number[], client: string): number {
  let room = 0;
  let refusal: unknown;
  try {
    room = source.room(client);
  } catch (error) {
    refusal = error;
  }
  let count = 0;
  let fresh = 0;
  for (const n of ns) {
    if (source.needsRoom(n)) {
      if (fresh === room) break;
      fresh += 1;
    }
    count += 1;
  }
  if (count === 0) throw refusal;
  return count;
}

/**
 * The leases of the first of `ns` for client, as many as there is room for (one at least),
 * once there is; rejects when signal aborts.
 */
async function acquireWhenRoom(
  source: HeavyWorkSource,
  ns: readonly number[],
  client: string,
  signal: AbortSignal,
): Promise<JobLease[]> {
  for (;;) {
    signal.throwIfAborted();
    try {
      return source.acquire(ns.slice(0, firstWindow(source, ns, client)), client);
    } catch {
      // No room now: wait for some.
    }
    await source.roomFreed(signal);
  }
}

/** Reports every followed lease's latest progress together whenever one of them moves. */
class LatestProgress {
  private readonly latest = new Map<number, HeavyProgress>();

  constructor(private readonly listener: HeavyProgressListener) {}

  /** Follows lease's progress; returns the stop. */
  follow(lease: JobLease): () => void {
    return lease.watch((done, total) => {
      this.latest.set(lease.n, { n: lease.n, done, total });
      this.listener([...this.latest.values()]);
    });
  }
}
