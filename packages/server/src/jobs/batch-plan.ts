import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  MIN_CHUNK_SECONDS,
  type PrimeCountChunk,
  planTargets,
  type TargetPlan,
  type TargetPlanOptions,
} from '@twelvefa/calc';
import { type PrimeTarget, targetId } from './prime-target.js';
import { estimatedSeconds } from './work-estimate.js';

/** How one target of a batch (an nth prime, or a pi(x)) reaches its answer. */
export interface PlannedWork {
  readonly target: PrimeTarget;
  /** Its plan; one answered in the plan itself (the small table) needs no chunk. */
  readonly plan: TargetPlan;
  /**
   * The chunks, largest first, when the target is split; empty when one whole task answers it.
   * A split target ends with a combine step (adding the chunks' counts up, and for the nth
   * prime the walk from there to the answer).
   */
  readonly chunks: readonly PrimeCountChunk[];
  /** The progress total of the target: see partsOf. */
  readonly parts: number;
  /** Estimated seconds on one core. */
  readonly seconds: number;
}

/**
 * A task a transport queues: a whole target, or one chunk of a split one. `rank` is where it queues
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
      readonly chunk: PrimeCountChunk;
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
 * A batch of heavy targets as the transports run it, whatever the mode. Ordering, fairness, the
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
  /** One per target, in the order asked. */
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
 * The progress total of a target split into `chunks`: every chunk, and the combine step; a
 * target that is one task is one part.
 */
export function partsOf(chunks: number): number {
  return chunks <= 1 ? 1 : chunks + 1;
}

/**
 * A batch that would hold every worker longer than this (its estimated seconds over the
 * parallelism) is cut into chunks of about FAIR_CHUNK_SECONDS... Low enough that the slices of
 * a large batch (heavy-work.ts tops a call up half its client's share at a time, a few seconds
 * of work each) and a single call past about 2 * 10^14 on one worker (6 * 10^14 on two) are
 * cut so too.
 */
const LONG_BATCH_SECONDS = 2;
/**
 * ...so that a call of another client waits for a worker at most one chunk (0.02-0.045 s), under
 * the 0.08 s of a 10^12 call alone: the planner's floor for a short batch, but here every chunk
 * is this small, not only those of a short batch. The job's own cost (about 2 ms,
 * `npm run bench:breakdown`) is 7% of a chunk this size, the price of that wait.
 */
const FAIR_CHUNK_SECONDS = MIN_CHUNK_SECONDS;

/** How the planner sizes a batch's chunks: by its share of the batch, or small when it is long. */
export function chunkSizing(
  batchSeconds: number,
  parallelism: number,
): Pick<TargetPlanOptions, 'batchSeconds' | 'chunkSeconds'> {
  return batchSeconds / parallelism <= LONG_BATCH_SECONDS
    ? { batchSeconds }
    : { chunkSeconds: FAIR_CHUNK_SECONDS };
}

/** Planning stops for the event loop after this long, so cheap calls wait at most about that. */
const SLICE_MS = 4;

/**
 * Plans a batch of distinct heavy targets as one: chunks sized for `parallelism` and the whole
 * batch's work, on the calling thread but a few milliseconds at a time (about a millisecond
 * per target near 10^13, and a batch may hold a thousand).
 */
export async function planBatch(
  targets: readonly PrimeTarget[],
  options: BatchPlanOptions,
): Promise<BatchPlan> {
  let sliceStart = performance.now();
  const pause = async (): Promise<void> => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await nextTurn();
    sliceStart = performance.now();
  };
  let batchSeconds = 0;
  for (const target of targets) {
    batchSeconds += estimatedSeconds(target);
    await pause();
  }
  const sizing = chunkSizing(batchSeconds, options.parallelism);
  const works: PlannedWork[] = [];
  for (const target of targets) {
    const [plan] = planTargets([target], { parallelism: options.parallelism, ...sizing });
    if (plan === undefined) throw new TypeError(`no plan for ${targetId(target)}`);
    works.push(plannedWork(target, plan));
    await pause();
  }
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
 * Plans targets of both kinds the first calls will not ask, so V8 has compiled the planner (its
 * cost curves take about 25 ms cold and 8 ms warm per target) before the first real batch: for
 * the API's start.
 */
export function warmUpPlanner(): void {
  planTargets(
    [
      { kind: 'nth-prime', n: 10n ** 13n + 7n },
      { kind: 'nth-prime', n: 9n * 10n ** 13n + 7n },
      { kind: 'prime-count', x: 10n ** 15n + 7n },
    ],
    { parallelism: 2 },
  );
}

function plannedWork(target: PrimeTarget, plan: TargetPlan): PlannedWork {
  // A plan of one chunk (or none) runs as one whole task: no combine step to wait for.
  const chunks =
    plan.chunks.length <= 1 ? [] : [...plan.chunks].sort((a, b) => b.seconds - a.seconds);
  return { target, plan, chunks, parts: partsOf(chunks.length), seconds: plan.seconds };
}
