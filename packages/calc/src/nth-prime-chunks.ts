import { InvalidArgumentError } from './errors.js';
import { validateN } from './nth-prime-input.js';
import {
  combinePrimeCount,
  computePrimeCountChunk,
  type PrimeCountChunk,
  type PrimeCountChunkResult,
  splitPrimeCount,
} from './prime/prime-count-chunks.js';
import { type PrimeCountParams, primeCountParams } from './prime/prime-count-params.js';
import { nthPrimeNear } from './prime/prime-walk.js';
import { inverseRiemannR } from './prime/riemann-r.js';
import { SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';

/**
 * How to find the nth prime as independent chunks: pi(x) at the estimate x = R^-1(n), split
 * into chunks, then a short walk from x to the answer. Plain data throughout.
 */
export interface NthPrimePlan {
  readonly n: number;
  /** Set when the answer needs no chunks (n within the small table); `chunks` is then empty. */
  readonly answer: number | null;
  /** Where pi is computed: R^-1(n), within a few sqrt(n) of the answer. */
  readonly estimate: number;
  readonly params: PrimeCountParams | null;
  readonly chunks: readonly NthPrimeChunk[];
}

/** One unit of work: plain data, safe to JSON-encode and run on another machine. */
export interface NthPrimeChunk {
  /** Position in plan.chunks; results are matched back by it. */
  readonly index: number;
  /** What the chunk computes, for people (job names, logs). */
  readonly label: string;
  readonly work: PrimeCountChunk;
}

/** What computeChunk returns: plain data, safe to JSON-encode. */
export interface NthPrimeChunkResult {
  readonly index: number;
  readonly result: PrimeCountChunkResult;
}

/** How finely to split; by default each chunk costs at most a few hundred ms on one core. */
export interface NthPrimePlanOptions {
  /** Chunks for the leaves found without sieving (each rebuilds a pi table up to z). */
  readonly easyChunks?: number;
  /** Chunks for the sieve over [0, z]. */
  readonly hardChunks?: number;
}

/** Below this n the whole computation is one small chunk of each kind. */
const SPLIT_FROM_N = 50_000_000;

/** Plans the nth prime; throws like validateN on a bad n. */
export function planNthPrime(n: number, options: NthPrimePlanOptions = {}): NthPrimePlan {
  validateN(n);
  if (n <= SMALL_TABLE_MAX_N) {
    const answer = smallPrimeTable().nth(n);
    return { n, answer, estimate: answer, params: null, chunks: [] };
  }
  const estimate = inverseRiemannR(Math.max(n, 2));
  const params = primeCountParams(estimate);
  const large = n >= SPLIT_FROM_N;
  const easyChunks =
    options.easyChunks ?? (large ? Math.max(1, Math.round(params.y / 120_000)) : 1);
  const hardChunks =
    options.hardChunks ?? (large ? Math.max(1, Math.round(params.z / 2 ** 24)) : 1);
  const chunks = splitPrimeCount(params, easyChunks, hardChunks).map((work, index) => ({
    index,
    label: describe(work),
    work,
  }));
  return { n, answer: null, estimate, params, chunks };
}

/** Runs one chunk: synchronous, CPU-bound, bounded by the plan. */
export function computeChunk(chunk: NthPrimeChunk): NthPrimeChunkResult {
  return { index: chunk.index, result: computePrimeCountChunk(chunk.work) };
}

/** The nth prime from a plan and the results of all its chunks, in any order. */
export function combineNthPrime(
  plan: NthPrimePlan,
  results: readonly NthPrimeChunkResult[],
): number {
  if (plan.answer !== null) return plan.answer;
  if (plan.params === null) throw new InvalidArgumentError('plan has neither answer nor params');
  const byIndex = new Map<number, PrimeCountChunkResult>();
  for (const { index, result } of results) {
    if (index < 0 || index >= plan.chunks.length || byIndex.has(index)) {
      throw new InvalidArgumentError(`unexpected or repeated result for chunk ${index}`);
    }
    byIndex.set(index, result);
  }
  if (byIndex.size !== plan.chunks.length) {
    throw new InvalidArgumentError(
      `${plan.chunks.length - byIndex.size} of ${plan.chunks.length} chunk results are missing`,
    );
  }
  const count = combinePrimeCount(plan.params, [...byIndex.values()]);
  return nthPrimeNear(plan.n, plan.estimate, count);
}

function describe(work: PrimeCountChunk): string {
  const x = work.params.x;
  if (work.kind === 'hard') return `pi(${x}) hard leaves, u in [${work.low}, ${work.high})`;
  const extra = work.part.withS1AndP2 ? ' + S1 + P2' : '';
  return `pi(${x}) easy leaves, b in [${work.part.bFrom}, ${work.part.bTo})${extra}`;
}
