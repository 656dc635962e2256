// The request machine's one waiting step: the heavy n of a call, held in the job registry
// while their answers are computed.
import { fromPromise } from 'xstate';
import { abortable } from '../abortable.js';
import type { JobLease, JobRegistry } from '../jobs/job-registry.js';
import type { CallContext, HeavyProgress, HeavyProgressListener } from './call-context.js';

/** Where heavy work is asked for: the job registry (or a test's stand-in). */
export type HeavyWorkSource = Pick<JobRegistry, 'acquire'>;

/** Input of the heavy-work actor: the distinct heavy n of the request, and its call. */
export interface HeavyWorkInput {
  readonly ns: readonly number[];
  readonly context: CallContext;
  readonly source: HeavyWorkSource;
}

/**
 * The primes of input.ns, in order: it holds their jobs while it waits for them (queued fairly
 * for the call's client, their progress told to the call's listener), and lets them go however
 * it ends (answered, failed, or stopped, which aborts its signal).
 */
export const heavyWork = fromPromise<readonly number[], HeavyWorkInput>(
  async ({ input, signal }) => {
    const leases = input.source.acquire(input.ns, input.context.client);
    const onProgress = input.context.call.onProgress;
    const stopWatching = onProgress && watchLeases(leases, onProgress);
    try {
      // One abort listener for the call, however many n it waits for.
      return await abortable(Promise.all(leases.map((lease) => lease.result)), signal);
    } finally {
      stopWatching?.();
      for (const lease of leases) lease.release();
    }
  },
);

/** Reports every lease's latest progress together whenever one of them moves; returns the stop. */
function watchLeases(leases: readonly JobLease[], onProgress: HeavyProgressListener): () => void {
  const latest = new Map<number, HeavyProgress>();
  const stops = leases.map((lease) =>
    lease.watch((done, total) => {
      latest.set(lease.n, { n: lease.n, done, total });
      onProgress([...latest.values()]);
    }),
  );
  return () => {
    for (const stop of stops) stop();
  };
}
