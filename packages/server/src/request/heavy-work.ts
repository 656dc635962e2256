// The request machine's one waiting step: the heavy targets of a call (its n or x), held in the
// job registry while their answers are computed, in a window when the call asks for more than
// it may hold.
import { fromPromise } from 'xstate';
import { abortable } from '../abortable.js';
import type { JobLease, JobRegistry } from '../jobs/job-registry.js';
import { type PrimeTarget, targetId } from '../jobs/prime-target.js';
import type { CallContext, HeavyProgress, HeavyProgressListener } from './call-context.js';

/** Where heavy work is asked for: the job registry (or a test's stand-in). */
export type HeavyWorkSource = Pick<
  JobRegistry,
  'acquire' | 'room' | 'needsRoom' | 'clientShare' | 'roomFreed'
>;

/** Input of the heavy-work actor: the distinct heavy targets of the request, and its call. */
export interface HeavyWorkInput {
  readonly targets: readonly PrimeTarget[];
  readonly context: CallContext;
  readonly source: HeavyWorkSource;
}

/** The heavy-work actor: the answers of input.targets, in order (see computeHeavyWork). */
export const heavyWork = fromPromise<readonly bigint[], HeavyWorkInput>(({ input, signal }) =>
  computeHeavyWork(input, signal),
);

/**
 * The answers of a request's heavy targets (input.targets, distinct), in order, computed through
 * the registry in a window: as many as the client may start now (its share of MAX_IN_FLIGHT) are
 * held at once, queued fairly for the call's client, and once half of them are answered the
 * next are started, waiting for room when other calls took it. So a batch larger than
 * MAX_IN_FLIGHT runs in turn instead of being refused, and one client never holds more than its
 * share. Refuses the call (ResourceExhaustedError, with the figures) only when not one target
 * can start now. Their progress goes to the call's listener. Every lease is released however it
 * ends: answered, failed, or aborted through `signal`, which has one listener at a time
 * however many targets the call waits for.
 */
export async function computeHeavyWork(
  input: HeavyWorkInput,
  signal: AbortSignal,
): Promise<bigint[]> {
  const { targets, source } = input;
  const { client } = input.context;
  const onProgress = input.context.call.onProgress;
  // Synchronous up to here: the first leases are held before the actor yields.
  let next = firstWindow(source, targets, client);
  const first = source.acquire(targets.slice(0, next), client);
  const answers = new Map<string, bigint>();
  const progress = onProgress && new LatestProgress(onProgress);
  const held = new Set<JobLease>();
  const running = new Set<Promise<void>>();
  const hold = (leases: readonly JobLease[]): void => {
    for (const lease of leases) {
      held.add(lease);
      const stopWatching = progress?.follow(lease);
      const answered: Promise<void> = lease.result
        .then((answer) => {
          answers.set(targetId(lease.target), answer);
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
      while (next < targets.length && running.size < share) {
        const more = await acquireWhenRoom(source, targets.slice(next), client, signal);
        next += more.length;
        hold(more);
      }
    }
    return targets.map((target) => answers.get(targetId(target)) as bigint);
  } finally {
    for (const lease of held) lease.release();
  }
}

/**
 * How many of targets, from the first, can be held now: every one cached or in flight already,
 * and as many new ones as there is room for. Throws the registry's refusal when not even the
 * first.
 */
function firstWindow(
  source: HeavyWorkSource,
  targets: readonly PrimeTarget[],
  client: string,
): number {
  let room = 0;
  let refusal: unknown;
  try {
    room = source.room(client);
  } catch (error) {
    refusal = error;
  }
  let count = 0;
  let fresh = 0;
  for (const target of targets) {
    if (source.needsRoom(target)) {
      if (fresh === room) break;
      fresh += 1;
    }
    count += 1;
  }
  if (count === 0) throw refusal;
  return count;
}

/**
 * The leases of the first of `targets` for client, as many as there is room for (one at least),
 * once there is; rejects when signal aborts.
 */
async function acquireWhenRoom(
  source: HeavyWorkSource,
  targets: readonly PrimeTarget[],
  client: string,
  signal: AbortSignal,
): Promise<JobLease[]> {
  for (;;) {
    signal.throwIfAborted();
    try {
      return source.acquire(targets.slice(0, firstWindow(source, targets, client)), client);
    } catch {
      // No room now: wait for some.
    }
    await source.roomFreed(signal);
  }
}

/** Reports every followed lease's latest progress together whenever one of them moves. */
class LatestProgress {
  private readonly latest = new Map<string, HeavyProgress>();

  constructor(private readonly listener: HeavyProgressListener) {}

  /** Follows lease's progress; returns the stop. */
  follow(lease: JobLease): () => void {
    return lease.watch((done, total) => {
      this.latest.set(targetId(lease.target), { target: lease.target, done, total });
      this.listener([...this.latest.values()]);
    });
  }
}
