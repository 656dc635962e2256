import type { PrimeCountParams } from '../prime/prime-count-params.js';
import type { PrimeCountPart, PrimeCountPartResult } from '../prime/prime-count-parts.js';
import type { PrimeTarget } from './prime-target.js';

/**
 * How to find the nth prime: pi(x) at the estimate x = R^-1(n) as independent chunks, then a
 * short walk from x to the answer. Plain data throughout, safe to JSON-encode: n, the answer
 * and x can pass 2^53 (n = 10^16, p(n) = 3.9 * 10^17), so they are decimal strings.
 */
export interface NthPrimeTargetPlan {
  readonly kind: 'nth-prime';
  readonly n: string;
  /** Set when the answer needs no chunks (n within the small table); `chunks` is then empty. */
  readonly answer: string | null;
  /** Where pi is computed: R^-1(n), within a few sqrt(n) of the answer (the answer when set). */
  readonly estimate: string;
  /** Null exactly when `answer` is set. */
  readonly params: PrimeCountParams | null;
  readonly chunks: readonly PrimeCountChunk[];
  /** Estimated seconds on one core: every chunk, and the combining walk. */
  readonly seconds: number;
}

/**
 * How to count the primes up to x: pi(x) as independent chunks, added up by the combine. Plain
 * data, safe to JSON-encode: x and the answer are decimal strings.
 */
export interface PrimeCountTargetPlan {
  readonly kind: 'prime-count';
  readonly x: string;
  /** Set when the answer needs no chunks (x <= SMALL_COUNT_MAX_X); `chunks` is then empty. */
  readonly answer: string | null;
  /** Null exactly when `answer` is set. */
  readonly params: PrimeCountParams | null;
  readonly chunks: readonly PrimeCountChunk[];
  /** Estimated seconds on one core of every chunk (the combine only adds). */
  readonly seconds: number;
}

/** A plan of either kind; `kind` tells which, as in the target. */
export type TargetPlan = NthPrimeTargetPlan | PrimeCountTargetPlan;

/** The plan of a target of type T: planTargets on nth-prime targets alone gives nth-prime plans. */
export type PlanOf<T extends PrimeTarget> = T extends { readonly kind: 'nth-prime' }
  ? NthPrimeTargetPlan
  : PrimeCountTargetPlan;

/**
 * One unit of work of either kind of plan, a piece of a pi(x): plain data, safe to JSON-encode
 * and run alone on any machine. It does not name its target: whoever queues it does.
 */
export interface PrimeCountChunk {
  /** Position in plan.chunks, of `count`; results are matched back by it. */
  readonly index: number;
  readonly count: number;
  /** What the chunk computes, in the formula's terms (job data, logs). */
  readonly label: string;
  readonly params: PrimeCountParams;
  readonly parts: readonly PrimeCountPart[];
  /** Estimated seconds on one core. */
  readonly seconds: number;
}

/** What computeChunk returns: plain data, safe to JSON-encode. */
export interface PrimeCountChunkResult {
  readonly index: number;
  readonly results: readonly PrimeCountPartResult[];
}

/** What the planner plans for. */
export interface TargetPlanOptions {
  /**
   * Chunks that can run at once (threads of a pool, workers times their concurrency). With 1,
   * the default, nothing is split: each target is one chunk, as cheap as the direct computation.
   */
  readonly parallelism?: number;
  /** Cuts every target that needs chunks into exactly this many instead (tests and benchmarks). */
  readonly chunks?: number;
  /**
   * Estimated seconds of the whole batch, when the targets are one slice of a larger batch
   * planned in slices (sum estimateTargetSeconds over the batch); chunks are sized by it.
   * Default: the sum over these targets.
   */
  readonly batchSeconds?: number;
  /**
   * The mean chunk wanted, in estimated seconds, instead of the batch's share (and instead of
   * the floor, MIN_CHUNK_SECONDS, when below it): a long batch cut small so that other work
   * waits little for a worker (the server's batch-plan.ts). Still within MAX_CHUNK_SECONDS.
   */
  readonly chunkSeconds?: number;
}
