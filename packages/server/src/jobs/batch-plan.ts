import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  estimateNthPrimeSeconds,
  type NthPrimeChunk,
  type NthPrimePlan,
  planNthPrimes,
  SMALL_TABLE_MAX_N,
} from '@twelvefa/calc';

/** How one n of a batch reaches its answer. */
export interface PlannedWork {
  readonly n: number;
  /** Null within the small table: a thread answers from its own table, nothing to plan. */
  readonly plan: NthPrimePlan | null;
  /**
   * The chunks, largest first, when the n is split; empty when one whole task answers it. A
   * split n ends with a combine step (the walk from the chunks' results to the answer).
   */
  readonly chunks: readonly NthPrimeChunk[];
  /** The progress total of the n: see partsOf. */
  readonly parts: number;
  /** Estimated seconds on one core. */
  readonly seconds: number;
}

/**
 * A task a transport queues: a whole n, or one chunk of a split one. `rank` is where it queues
 * (1 first; see BatchPlan.priority): the batch's priority, and one more for every
 * RANK_SECONDS of the batch's work planned ahead of it.
 */
export type PlannedTask =
  | {
      readonly kind: 'whole';
      readonly work: PlannedWork;
      readonly seconds: number;
      readonly rank: number;
    }
  | {
      readonly kind: 'chunk';
      readonly work: PlannedWork;
      readonly chunk: NthPrimeChunk;
      readonly seconds: number;
      readonly rank: number;
    };

/**
 * The work one rank stands for. Ranks count each client's work queued ahead, so clients take
 * turns by the chunk, in proportion to their work, not by the batch: a client's one small call
 * goes ahead of all but the first chunks of another's large batch.
 */
export const RANK_SECONDS = 0.01;

/**
 * A batch of heavy n as the transports run it, whatever the mode. Ordering, fairness, the
 * small-table rule and the progress total are decided here and nowhere else.
 */
export interface BatchPlan {
  /**
   * Where the batch's first task queues: 1 runs first; a larger number waits behind all queued
   * work of smaller ones. JobRegistry sets it from its client's work in flight (fair sharing),
   * and each later task of the batch queues further back by its work ahead (PlannedTask.rank).
   * A combine step always goes ahead of every whole or chunk task: it finishes an answer.
   */
  readonly priority: number;
  /** One per n, in the order asked. */
  readonly works: readonly PlannedWork[];
  /** Every whole and chunk task, largest first over the batch, so the last to finish are short. */
  readonly tasks: readonly PlannedTask[];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a batch is planned for. */
export interface BatchPlanOptions {
  /** Chunks that can run at once where it runs (threads, or workers times their concurrency). */
  readonly parallelism: number;
  readonly priority: number;
}

/**
 * The progress total of an n split into `chunks`: every chunk, and the combine step; an n that
 * is one task is one part.
 */
export function partsOf(chunks: number): number {
  return chunks <= 1 ? 1 : chunks + 1;
}

/**
 * A batch that would hold every worker longer than this (its estimated seconds over the
 * parallelism) is cut into chunks of about FAIR_CHUNK_SECONDS...
 */
const LONG_BATCH_SECONDS = 10;
/**
 * ...instead of up to 0.67 s (the largest 1 s): a call of another client waits for a worker at
 * most one chunk, and a chunk this size still spends under 1% of itself on its job (about
 * 2 ms, `npm run bench:breakdown`).
 */
const FAIR_CHUNK_SECONDS = 0.2;
/** The planner cuts chunks of about batchSeconds / (this * parallelism) (nth-prime-plan.ts). */
const PLANNER_CHUNKS_PER_WORKER = 6;

/** The batch seconds the planner is told, so that a long batch is cut into fair chunks. */
export function cutSeconds(batchSeconds: number, parallelism: number): number {
  if (batchSeconds / parallelism <= LONG_BATCH_SECONDS) return batchSeconds;
  return FAIR_CHUNK_SECONDS * PLANNER_CHUNKS_PER_WORKER * parallelism;
}

/** Planning stops for the event loop after this long, so cheap calls wait at most about that. */
const SLICE_MS = 4;

/**
 * Plans a batch of distinct heavy n as one: chunks sized for `parallelism` and the whole
 * batch's work, on the calling thread but a few milliseconds at a time (about a millisecond
 * per n near 10^13, and a batch may hold a thousand).
 */
export async function planBatch(
  ns: readonly number[],
  options: BatchPlanOptions,
): Promise<BatchPlan> {
  let sliceStart = performance.now();
  const pause = async (): Promise<void> => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await nextTurn();
    sliceStart = performance.now();
  };
  const heavy = ns.filter((n) => n > SMALL_TABLE_MAX_N);
  let batchSeconds = 0;
  for (const n of heavy) {
    batchSeconds += estimateNthPrimeSeconds(n);
    await pause();
  }
  const plans = new Map<number, NthPrimePlan>();
  const cutFor = cutSeconds(batchSeconds, options.parallelism);
  for (const n of heavy) {
    // Each n's estimate is kept from the first pass, so this only cuts.
    const [plan] = planNthPrimes([n], { parallelism: options.parallelism, batchSeconds: cutFor });
    if (plan !== undefined) plans.set(n, plan);
    await pause();
  }
  const works = ns.map((n) => plannedWork(n, plans.get(n) ?? null));
  type Unranked = DistributiveOmit<PlannedTask, 'rank'>;
  const pieces = works.flatMap((work): Unranked[] =>
    work.chunks.length === 0
      ? [{ kind: 'whole', work, seconds: work.seconds }]
      : work.chunks.map((chunk) => ({ kind: 'chunk', work, chunk, seconds: chunk.seconds })),
  );
  // Stable: equal estimates keep the order asked.
  pieces.sort((a, b) => b.seconds - a.seconds);
  let ahead = 0;
  const tasks = pieces.map((piece): PlannedTask => {
    const rank = options.priority + Math.floor(ahead / RANK_SECONDS);
    ahead += piece.seconds;
    return { ...piece, rank };
  });
  return { priority: options.priority, works, tasks };
}

/**
 * Plans two n the first calls will not ask, so V8 has compiled the planner (its cost curves
 * take about 25 ms cold and 8 ms warm per n) before the first real batch: for the API's start.
 */
export function warmUpPlanner(): void {
  planNthPrimes([1e13 + 7, 9e13 + 7], { parallelism: 2 });
}

function plannedWork(n: number, plan: NthPrimePlan | null): PlannedWork {
  if (plan === null) return { n, plan, chunks: [], parts: 1, seconds: 0 };
  // A plan of one chunk runs as one whole task: no combine step to wait for.
  const chunks =
    plan.chunks.length <= 1 ? [] : [...plan.chunks].sort((a, b) => b.seconds - a.seconds);
  return { n, plan, chunks, parts: partsOf(chunks.length), seconds: plan.seconds };
}
