import { Job, type Queue, type QueueEvents } from 'bullmq';
import type { Logger } from '../logger.js';
import type { JobWaiters } from './job-waiters.js';
import { CANCELLED_JOB_REASON, type PrimeJobData, parsePrimeJobResult } from './prime-job.js';

/** Why a job ended without an answer. */
function failureOf(jobId: string, reason: string): Error {
  return new Error(`job ${jobId} failed: ${reason}`);
}

const FAILED_CHILD = /^child \S*?:([^:\s]+) failed$/;

/**
 * Whether a failed job was given up rather than broken: cancelled itself, or a flow whose
 * chunk was cancelled (BullMQ fails the parent with "child KEY failed") or removed since.
 */
async function wasCancelled(queue: Queue<PrimeJobData>, reason: string): Promise<boolean> {
  if (reason === CANCELLED_JOB_REASON) return true;
  const child = FAILED_CHILD.exec(reason)?.[1];
  if (child === undefined) return false;
  const chunk = await Job.fromId(queue, child);
  return chunk === undefined || chunk.failedReason === CANCELLED_JOB_REASON;
}

/**
 * Settles the waits of this replica from the queue's event stream. The events of an earlier run
 * of the same id (cancelled, failed and kept, then added afresh) can arrive late, so a failure
 * or removal counts only once the job's state in Redis confirms it. A job that another replica
 * gave up (removed, or failed by cancellation) is still wanted here: `onLost` adds it again.
 */
export function followJobOutcomes(
  events: QueueEvents,
  queue: Queue<PrimeJobData>,
  waiters: JobWaiters,
  onLost: (jobId: string) => void,
  logger: Logger,
): void {
  const ifStillInState = (jobId: string, expected: string, then: () => Promise<void>): void => {
    if (!waiters.expects(jobId)) return;
    queue
      .getJobState(jobId)
      .then(async (state) => {
        if (state === expected && waiters.expects(jobId)) await then();
      })
      .catch((cause: unknown) =>
        logger.debug({ err: cause, jobId }, `could not check a ${expected} job`),
      );
  };
  events.on('completed', ({ jobId, returnvalue }) => {
    waiters.settle(jobId, () => parsePrimeJobResult(returnvalue));
  });
  events.on('failed', ({ jobId, failedReason }) => {
    ifStillInState(jobId, 'failed', async () => {
      if (await wasCancelled(queue, failedReason)) {
        onLost(jobId);
        return;
      }
      waiters.settle(jobId, () => {
        throw failureOf(jobId, failedReason);
      });
    });
  });
  // A stale failed job is removed right before it is added afresh: only a job that stays gone
  // (another replica cancelled it) is lost.
  events.on('removed', ({ jobId }) => {
    ifStillInState(jobId, 'unknown', async () => onLost(jobId));
  });
}

/**
 * Looks at a job directly: settles its wait if it already finished (its event may have gone by
 * before this replica listened). Returns the job, or undefined when there is none.
 */
export async function settleIfFinished(
  queue: Queue<PrimeJobData>,
  waiters: JobWaiters,
  id: string,
): Promise<Job<PrimeJobData> | undefined> {
  const job = await Job.fromId<PrimeJobData>(queue, id);
  if (job === undefined || job.finishedOn === undefined) return job;
  const { failedReason, returnvalue } = job;
  waiters.settle(id, () => {
    if (failedReason !== undefined) throw failureOf(id, failedReason);
    return parsePrimeJobResult(returnvalue);
  });
  return job;
}
