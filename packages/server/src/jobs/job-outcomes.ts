import { Job, type Queue, type QueueEvents } from 'bullmq';
import { UnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { JobWaiters } from './job-waiters.js';
import {
  CANCELLED_JOB_REASON,
  type NthPrimeJobData,
  parseNthPrimeJobResult,
} from './nth-prime-job.js';

/** What a failed job means for a request waiting on it. */
function failureOf(jobId: string, reason: string): Error {
  if (reason === CANCELLED_JOB_REASON) {
    return new UnavailableError(`job ${jobId} was cancelled by another request; retry`);
  }
  return new Error(`job ${jobId} failed: ${reason}`);
}

/**
 * Settles the waits of this replica from the queue's event stream. The events of an earlier run
 * of the same id (cancelled, failed and kept, then added afresh) can arrive late, so a failure
 * or removal settles a wait only once the job's state in Redis confirms it.
 */
export function followJobOutcomes(
  events: QueueEvents,
  queue: Queue<NthPrimeJobData>,
  waiters: JobWaiters,
  logger: Logger,
): void {
  const settleIfState = (jobId: string, expected: string, error: () => Error): void => {
    if (!waiters.expects(jobId)) return;
    queue.getJobState(jobId).then(
      (state) => {
        if (state !== expected || !waiters.expects(jobId)) return;
        waiters.settle(jobId, () => {
          throw error();
        });
      },
      (cause: unknown) => logger.debug({ err: cause, jobId }, `could not check a ${expected} job`),
    );
  };
  events.on('completed', ({ jobId, returnvalue }) => {
    waiters.settle(jobId, () => parseNthPrimeJobResult(returnvalue));
  });
  events.on('failed', ({ jobId, failedReason }) => {
    settleIfState(jobId, 'failed', () => failureOf(jobId, failedReason));
  });
  // A stale failed job is removed right before it is added afresh: only a job that stays gone
  // (another replica cancelled it) fails the wait.
  events.on('removed', ({ jobId }) => {
    settleIfState(
      jobId,
      'unknown',
      () => new UnavailableError(`job ${jobId} was removed before it finished; retry`),
    );
  });
}

/**
 * Looks at a job directly: settles its wait if it already finished (its event may have gone by
 * before this replica listened). Returns the job, or undefined when there is none.
 */
export async function settleIfFinished(
  queue: Queue<NthPrimeJobData>,
  waiters: JobWaiters,
  id: string,
): Promise<Job<NthPrimeJobData> | undefined> {
  const job = await Job.fromId<NthPrimeJobData>(queue, id);
  if (job === undefined || job.finishedOn === undefined) return job;
  const { failedReason, returnvalue } = job;
  waiters.settle(id, () => {
    if (failedReason !== undefined) throw failureOf(id, failedReason);
    return parseNthPrimeJobResult(returnvalue);
  });
  return job;
}
