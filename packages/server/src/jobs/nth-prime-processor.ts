import { combineNthPrime, type NthPrimeChunkResult, type NthPrimePlan } from '@twelvefa/calc';
import { Job, type Queue, UnrecoverableError, WaitingError } from 'bullmq';
import type { Logger } from '../logger.js';
import { CANCELLED_JOB_REASON } from './bullmq-job-runner.js';
import {
  type ChunkJobResult,
  type NthPrimeJobData,
  type NthPrimeJobResult,
  parseNthPrimeJobData,
} from './nth-prime-job.js';
import type { PrimePool } from './prime-pool.js';

/** The abort reason a worker gives its jobs when it shuts down: they go back to the queue. */
export const SHUTDOWN_REASON = 'worker shutting down';

/** What the processor needs. */
export interface NthPrimeProcessorDeps {
  readonly pool: PrimePool;
  /** The queue, to report chunk progress on the parent job. */
  readonly queue: Queue<NthPrimeJobData>;
  readonly logger: Logger;
}

function isTransient(error: unknown): boolean {
  // The computation is a pure function: if it threw, it will throw again, so
  // only a dead thread (out of memory, terminated) or Redis is worth a retry.
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  return code.startsWith('ERR_WORKER') || code.startsWith('ECONN') || error instanceof TypeError;
}

async function computeWhole(
  pool: PrimePool,
  n: number,
  plan: NthPrimePlan | null,
  signal: AbortSignal,
): Promise<number> {
  if (plan === null) return pool.nthPrime(n, signal);
  if (plan.answer !== null) return plan.answer;
  const results = await Promise.all(plan.chunks.map((chunk) => pool.chunk(chunk, signal)));
  return combineNthPrime(plan, results);
}

/** A chunk whose parent is gone or failed has nobody to combine its result: skip it. */
async function isAbandoned(job: Job, queue: Queue<NthPrimeJobData>): Promise<boolean> {
  const parentId = job.parent?.id;
  if (parentId === undefined) return false;
  const state = await queue.getJobState(parentId);
  return state === 'unknown' || state === 'failed';
}

/** Moves the parent's progress and adds a line for this chunk to its job log. */
async function reportParentProgress(job: Job, queue: Queue<NthPrimeJobData>): Promise<void> {
  const parentId = job.parent?.id;
  if (parentId === undefined) return;
  const parent = await Job.fromId(queue, parentId);
  if (parent === undefined) return;
  const { processed = 0, unprocessed = 0 } = await parent.getDependenciesCount();
  // This chunk is not counted as processed until the processor returns.
  const total = processed + unprocessed;
  if (total > 0) await parent.updateProgress(Math.round((100 * (processed + 1)) / total));
  // One line per chunk in the parent's log, so the dashboard shows how the flow went.
  await parent.log(`${new Date().toISOString()} done: ${job.name}`);
}

/**
 * The worker's processor: CPU-heavy parts run on the prime pool's threads so
 * the event loop keeps renewing job locks; an abort (cancel message or
 * shutdown) stops the thread.
 */
export function createNthPrimeProcessor(deps: NthPrimeProcessorDeps) {
  const { pool, queue, logger } = deps;
  return async (
    job: Job<NthPrimeJobData>,
    token: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<NthPrimeJobResult | ChunkJobResult> => {
    const abort = signal ?? new AbortController().signal;
    let data: NthPrimeJobData;
    try {
      data = parseNthPrimeJobData(job.data);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    const n = Number(data.n);
    logger.info(
      { jobId: job.id, job: job.name, attempt: job.attemptsStarted, kind: data.kind },
      'job started',
    );
    try {
      switch (data.kind) {
        case 'whole': {
          await job.updateProgress(0);
          const prime = await computeWhole(pool, n, data.plan, abort);
          return { n: data.n, prime: String(prime) };
        }
        case 'chunk': {
          if (await isAbandoned(job, queue)) throw new UnrecoverableError(CANCELLED_JOB_REASON);
          const result = await pool.chunk(data.chunk, abort);
          await reportParentProgress(job, queue).catch((error: unknown) =>
            logger.debug({ err: error, jobId: job.id }, 'could not report progress'),
          );
          return result;
        }
        case 'combine': {
          const values = await job.getChildrenValues<NthPrimeChunkResult>();
          const prime = combineNthPrime(data.plan, Object.values(values));
          return { n: data.n, prime: String(prime) };
        }
      }
    } catch (error) {
      if (abort.aborted && abort.reason === SHUTDOWN_REASON && token !== undefined) {
        // Hand the job back without spending an attempt; another worker takes it.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (abort.aborted) throw new UnrecoverableError(CANCELLED_JOB_REASON);
      if (isTransient(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new UnrecoverableError(message);
    }
  };
}
