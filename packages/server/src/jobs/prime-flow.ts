import type { PrimeCountChunk } from '@twelvefa/calc';
import type { FlowJob, JobsOptions } from 'bullmq';
import type { BatchPlan, PlannedWork } from './batch-plan.js';
import {
  type ChunkJobData,
  type CombineJobData,
  chunkJobId,
  chunkJobName,
  targetJobName,
  type WholeJobData,
} from './prime-job.js';
import { targetData, targetId } from './prime-target.js';

/**
 * The flows of a batch's plan, in the order their first task comes in the plan (largest
 * first), so their jobs sit in the queue as the plan orders them. `options` are every job's
 * retry and retention settings.
 */
export function batchFlows(plan: BatchPlan, queueName: string, options: JobsOptions): FlowJob[] {
  const works = new Set<PlannedWork>();
  const ranks = new Map<PrimeCountChunk | PlannedWork, number>();
  for (const task of plan.tasks) {
    works.add(task.work);
    ranks.set(task.kind === 'chunk' ? task.chunk : task.work, task.rank);
  }
  return [...works].map((work) =>
    primeFlow(work, queueName, options, (part) => ranks.get(part) ?? plan.priority),
  );
}

/**
 * What the queue holds for one target: a single job when the plan runs it whole, otherwise a flow
 * of its chunks (children, in the plan's order) and a parent that combines their results.
 * `rankOf` (1 first) orders the whole job, or each chunk, against other requests' work; a
 * parent, which finishes an answer whose chunks are all done, always goes first.
 */
export function primeFlow(
  work: PlannedWork,
  queueName: string,
  options: JobsOptions,
  rankOf: (part: PrimeCountChunk | PlannedWork) => number = () => 1,
): FlowJob {
  const { target, plan } = work;
  const opts = { ...options, jobId: targetId(target) };
  if (work.chunks.length === 0) {
    const data: WholeJobData = { kind: 'whole', target: targetData(target), plan };
    const ranked = bullmqPriority(rankOf(work));
    return { name: targetJobName(target, 1), queueName, data, opts: { ...opts, ...ranked } };
  }
  const parts = work.chunks.length;
  const data: CombineJobData = { kind: 'combine', target: targetData(target), parts, plan };
  return {
    name: targetJobName(target, parts),
    queueName,
    data,
    opts,
    children: work.chunks.map((chunk) => {
      const childData: ChunkJobData = {
        kind: 'chunk',
        target: targetData(target),
        part: chunk.index + 1,
        parts: chunk.count,
        label: chunk.label,
        chunk,
      };
      return {
        name: chunkJobName(target, chunk),
        queueName,
        data: childData,
        opts: {
          ...options,
          jobId: chunkJobId(target, chunk),
          failParentOnFailure: true,
          ...bullmqPriority(rankOf(chunk)),
        },
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
