import { Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { chunkJobIds, type PrimeJobData } from './prime-job.js';
import { parseTargetData } from './prime-target.js';

/** Where a discard reaches: the queue, a connection that may publish, and the cancel channel. */
export interface DiscardTarget {
  readonly queue: Queue<PrimeJobData>;
  readonly publisher: Redis;
  /** cancelChannel(prefix, queueName). */
  readonly channel: string;
}

/**
 * Gives up the computation of job id, as Redis has it: a cancel message for it and each of its
 * chunks aborts whichever runs on a worker, and what waits is removed (the flow at once, or the
 * waiting chunks one by one while a running chunk locks it; the worker removes the rest when
 * the aborted chunk fails). Returns how many jobs the first removal took; 0 when the job was
 * gone or finished. Used by the API when its last request gives a job up, and by workers when
 * every API replica waiting for one is gone (replica-sweep.ts).
 */
export async function discardJob(target: DiscardTarget, id: string): Promise<number> {
  const { queue, publisher, channel } = target;
  const job = await Job.fromId<PrimeJobData>(queue, id);
  if (job === undefined || job.finishedOn !== undefined) return 0;
  const chunkIds =
    job.data.kind === 'combine' ? chunkJobIds(parseTargetData(job.data.target), job.data.plan) : [];
  for (const jobId of [id, ...chunkIds]) await publisher.publish(channel, jobId);
  const removed = await queue.remove(id, { removeChildren: true });
  if (removed === 0) {
    for (const chunkId of chunkIds) await queue.remove(chunkId);
  }
  return removed;
}
