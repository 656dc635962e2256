import type { FlowProducer, JobsOptions, Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import { planBatch, RANK_SECONDS } from './batch-plan.js';
import type { ClientBacklog } from './client-backlog.js';
import type { JobCancellation } from './job-cancellation.js';
import { settleIfFinished } from './job-outcomes.js';
import type { JobProgress } from './job-progress.js';
import type { JobWaiters } from './job-waiters.js';
import { batchFlows } from './prime-flow.js';
import type { PrimeJobData } from './prime-job.js';
import { type PrimeTarget, targetId } from './prime-target.js';
import type { SharedWaits } from './shared-waits.js';
import type { WorkerCapacity } from './worker-capacity.js';

/** What adding jobs needs from the runner. */
export interface FlowEnqueuerDeps {
  readonly queue: Queue<PrimeJobData>;
  readonly flows: FlowProducer;
  readonly waiters: JobWaiters;
  readonly progress: JobProgress;
  readonly cancellation: JobCancellation;
  /** This replica among the waiters of each job, across replicas. */
  readonly shared: SharedWaits;
  /** Each client's work in flight on every replica, for fair sharing across them. */
  readonly backlog: ClientBacklog;
  readonly capacity: WorkerCapacity;
  readonly queueName: string;
  /** Every job's retry and retention settings. */
  readonly jobOptions: JobsOptions;
  readonly logger: Logger;
}

/**
 * Join or add: targets already queued or running (by this replica or another) are joined, the rest
 * planned together (batch-plan.ts) for the workers there are, ranked behind `client`'s work on
 * every replica, and added at once in the plan's order. Called one batch at a time (the
 * runner's steps).
 */
export async function enqueueBatch(
  deps: FlowEnqueuerDeps,
  batch: readonly PrimeTarget[],
  priority: number,
  client: string | undefined,
): Promise<void> {
  const { queue, flows, waiters, cancellation, capacity } = deps;
  // Cancelled while waiting its turn (a storm of short deadlines): nothing to add or remove.
  const wanted = (target: PrimeTarget): boolean => waiters.isWaiting(targetId(target));
  const targets = batch.filter(wanted);
  if (targets.length === 0) return;
  // Among the waiters first: a replica giving the job up from now on sees this one waiting.
  await deps.shared.join(targets.map(targetId));
  const isFresh = await Promise.all(
    targets.map(async (target) => {
      const id = targetId(target);
      const state = await queue.getJobState(id);
      if (state === 'failed') {
        // A failure kept for inspection must not answer a new request: start afresh.
        await cancellation.removeStale(id);
        return true;
      }
      if (state === 'unknown') return true;
      // Joining a computation another request or replica started.
      await settleIfFinished(queue, waiters, id);
      return false;
    }),
  );
  // In the order asked, so equal estimates keep it in the plan.
  const fresh = targets.filter((_, i) => isFresh[i]);
  if (fresh.length === 0) return;
  // Behind the client's work on the other replicas too (`priority` counts this one's).
  const elsewhere = client === undefined ? 0 : await deps.backlog.elsewhere(client);
  const planStarted = performance.now();
  const plan = await planBatch(fresh, {
    parallelism: await capacity.parallelism(),
    priority: priority + Math.floor(elsewhere / RANK_SECONDS),
  });
  const planMs = performance.now() - planStarted;
  // Planning yields to the event loop: drop what was cancelled meanwhile.
  const live = { ...plan, tasks: plan.tasks.filter((task) => wanted(task.work.target)) };
  const jobs = batchFlows(live, deps.queueName, deps.jobOptions);
  if (jobs.length === 0) return;
  const addStarted = performance.now();
  await flows.addBulk(jobs);
  // The timings are for `npm run bench:breakdown`: the API's share of a call's time.
  deps.logger.debug(
    { jobs: fresh.map(targetId), planMs, addMs: performance.now() - addStarted },
    'jobs queued',
  );
  for (const work of plan.works) deps.progress.planned(targetId(work.target), work.parts);
  // A job may have finished before this replica's event stream saw it.
  await Promise.all(fresh.map((target) => settleIfFinished(queue, waiters, targetId(target))));
}
