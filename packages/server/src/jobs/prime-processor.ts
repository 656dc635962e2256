import type { PrimeCountChunkResult } from '@twelvefa/calc';
import { Job, type Queue, UnrecoverableError, WaitingError } from 'bullmq';
import type { Logger } from '../logger.js';
import {
  CANCELLED_JOB_REASON,
  type ChunkJobResult,
  type CombineJobData,
  chunkJobId,
  type FlowProgress,
  type PrimeJobData,
  type PrimeJobResult,
  parsePrimeJobData,
  primeJobResult,
} from './prime-job.js';
import type { PrimePool } from './prime-pool.js';
import { parseTargetData } from './prime-target.js';

/** The abort reason a worker gives its jobs when it shuts down: they go back to the queue. */
export const SHUTDOWN_REASON = 'worker shutting down';

/** What the processor needs. */
export interface PrimeProcessorDeps {
  readonly pool: PrimePool;
  /** The queue, to look up a chunk's parent. */
  readonly queue: Queue<PrimeJobData>;
  readonly logger: Logger;
}

function isTransient(error: unknown): boolean {
  // The computation is a pure function: if it threw, it will throw again, so
  // only a dead thread (out of memory, terminated) or Redis is worth a retry.
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  return code.startsWith('ERR_WORKER') || code.startsWith('ECONN') || error instanceof TypeError;
}

/** A chunk whose parent is gone or failed has nobody to combine its result: skip it. */
async function isAbandoned(job: Job, queue: Queue<PrimeJobData>): Promise<boolean> {
  const parentId = job.parent?.id;
  if (parentId === undefined) return false;
  const state = await queue.getJobState(parentId);
  return state === 'unknown' || state === 'failed';
}

/**
 * After a chunk completed: sets its parent's progress to {done, total} chunks (never backwards,
 * as two chunks may finish at once) and adds a line for the chunk to the parent's job log.
 */
export async function reportFlowProgress(job: Job, queue: Queue<PrimeJobData>): Promise<void> {
  const parentId = job.parent?.id;
  if (parentId === undefined) return;
  // A handle, not a fetch: the parent's data holds its whole plan, which this does not need.
  const parent = new Job(queue, 'parent', {}, {}, parentId);
  const client = await queue.client;
  const [counts, stored] = await Promise.all([
    parent.getDependenciesCount({ processed: true, unprocessed: true }),
    client.hget(queue.toKey(parentId), 'progress'),
  ]);
  const { processed = 0, unprocessed = 0 } = counts;
  const before =
    stored === null ? undefined : (JSON.parse(stored) as Partial<FlowProgress> | number);
  const updates: Promise<unknown>[] = [
    Job.addJobLog(queue, parentId, `${new Date().toISOString()} done: ${job.name}`),
  ];
  if (typeof before !== 'object' || (before.done ?? 0) < processed) {
    const progress: FlowProgress = { done: processed, total: processed + unprocessed };
    updates.push(parent.updateProgress({ ...progress }));
  }
  await Promise.all(updates);
}

/** The results of a flow's chunks, matched to its plan (a child of another plan is ignored). */
async function chunkResults(job: Job, data: CombineJobData): Promise<PrimeCountChunkResult[]> {
  const values = await job.getChildrenValues<PrimeCountChunkResult>();
  const byId = new Map(Object.entries(values).map(([key, value]) => [key.split(':').pop(), value]));
  const target = parseTargetData(data.target);
  return data.plan.chunks.map((chunk) => {
    const result = byId.get(chunkJobId(target, chunk));
    // A chunk is only ever missing when the flow was given up: the API removes the chunks that
    // still wait, and BullMQ then lets the parent run.
    if (result === undefined) throw new UnrecoverableError(CANCELLED_JOB_REASON);
    return result;
  });
}

/**
 * The worker's processor: every computation, the combine after a flow's chunks included, runs on
 * the prime pool's threads so the event loop keeps renewing job locks; an abort (cancel
 * message or shutdown) stops the thread.
 */
export function createPrimeProcessor(deps: PrimeProcessorDeps) {
  const { pool, queue, logger } = deps;
  const compute = async (
    data: PrimeJobData,
    abort: AbortSignal,
    job: Job<PrimeJobData>,
  ): Promise<PrimeJobResult | ChunkJobResult> => {
    switch (data.kind) {
      case 'whole':
        return primeJobResult(parseTargetData(data.target), await pool.whole(data.plan, abort));
      case 'chunk': {
        if (await isAbandoned(job, queue)) throw new UnrecoverableError(CANCELLED_JOB_REASON);
        return await pool.chunk(data.chunk, abort);
      }
      case 'combine': {
        const answer = await pool.combine(data.plan, await chunkResults(job, data), abort);
        return primeJobResult(parseTargetData(data.target), answer);
      }
    }
  };
  return async (
    job: Job<PrimeJobData>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<PrimeJobResult | ChunkJobResult> => {
    const abort = signal ?? new AbortController().signal;
    let data: PrimeJobData;
    try {
      data = parsePrimeJobData(job.data);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    logger.info(
      { jobId: job.id, job: job.name, attempt: job.attemptsStarted, kind: data.kind },
      'job started',
    );
    const computing = performance.now();
    try {
      const result = await compute(data, abort, job);
      // What the thread took, apart from the queue's own cost (the breakdown benchmark reads it).
      logger.debug(
        { jobId: job.id, kind: data.kind, computeMs: performance.now() - computing },
        'job computed',
      );
      return result;
    } catch (error) {
      if (abort.aborted && abort.reason === SHUTDOWN_REASON && token !== undefined) {
        // Hand the job back without spending an attempt; another worker takes it.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (abort.aborted) throw new UnrecoverableError(CANCELLED_JOB_REASON);
      if (error instanceof UnrecoverableError || isTransient(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new UnrecoverableError(message);
    }
  };
}
