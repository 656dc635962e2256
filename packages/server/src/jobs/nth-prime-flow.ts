import type { NthPrimePlan } from '@twelvefa/calc';
import type { FlowJob, JobsOptions } from 'bullmq';
import {
  type ChunkJobData,
  type CombineJobData,
  chunkJobId,
  chunkJobName,
  nthPrimeJobId,
  nthPrimeJobName,
  type WholeJobData,
} from './nth-prime-job.js';

/**
 * What the queue holds for one n: a single job when there is no plan (the small table) or a
 * plan of one chunk; otherwise a flow of chunk children, largest first, and a parent that
 * combines their results. `options` are every job's retry and retention settings; `priority`
 * (1 first) orders the work against other requests' (a parent, which finishes an answer whose
 * chunks are all done, always goes first).
 */
export function nthPrimeFlow(
  n: number,
  plan: NthPrimePlan | null,
  queueName: string,
  options: JobsOptions,
  priority = 1,
): FlowJob {
  const opts = { ...options, jobId: nthPrimeJobId(n) };
  const ranked = bullmqPriority(priority);
  if (plan === null || plan.chunks.length <= 1) {
    const data: WholeJobData = { kind: 'whole', n: String(n), plan };
    return { name: nthPrimeJobName(n, 1), queueName, data, opts: { ...opts, ...ranked } };
  }
  const data: CombineJobData = { kind: 'combine', n: String(n), parts: plan.chunks.length, plan };
  const chunks = [...plan.chunks].sort((a, b) => b.seconds - a.seconds);
  return {
    name: nthPrimeJobName(n, plan.chunks.length),
    queueName,
    data,
    opts,
    children: chunks.map((chunk) => {
      const childData: ChunkJobData = {
        kind: 'chunk',
        n: String(n),
        part: chunk.index + 1,
        parts: chunk.count,
        label: chunk.label,
        chunk,
      };
      return {
        name: chunkJobName(chunk),
        queueName,
        data: childData,
        opts: { ...options, jobId: chunkJobId(chunk), failParentOnFailure: true, ...ranked },
      };
    }),
  };
}

/**
 * Our priority 1 as no BullMQ priority at all: BullMQ serves its wait list before any
 * prioritized job, so the first rank stays there (where a flow's parent goes when its chunks
 * are done) and rank p > 1 becomes BullMQ priority p - 1, ordered behind it.
 */
function bullmqPriority(priority: number): Pick<JobsOptions, 'priority'> {
  return priority > 1 ? { priority: Math.min(priority - 1, MAX_BULLMQ_PRIORITY) } : {};
}

/** BullMQ's largest priority. */
const MAX_BULLMQ_PRIORITY = 2_097_152;

/** The chunk job ids of a plan (none for a plan of one chunk, which runs as one job). */
export function chunkJobIds(plan: NthPrimePlan | null): readonly string[] {
  return plan === null || plan.chunks.length <= 1 ? [] : plan.chunks.map(chunkJobId);
}
