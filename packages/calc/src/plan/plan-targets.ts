import { smallPrimeCount } from '../small-prime-count.js';
import { smallPrimeTable } from '../small-prime-table.js';
import { cutChunks, SKEW } from './cut-chunks.js';
import { type PrimeTarget, validateTarget } from './prime-target.js';
import { costTarget, type TargetCost } from './target-cost.js';
import type { PlanOf, PrimeCountChunk, TargetPlan, TargetPlanOptions } from './target-plan.js';

/**
 * Chunks average at least this many seconds (the smallest is at least 0.6 of this) while up to
 * four share the work. A 10^13 call is then 10-11 chunks for two workers: with 11 chunks their
 * last chunks ended 17-22 ms apart, against 69 ms with 6 chunks, and the 5 more jobs cost about
 * 2 ms each (`npm run bench:breakdown`, docs/benchmarks.md). The floor follows the kernels'
 * speed, so that the count holds: 0.05 s until they became 35-40% quicker (2026-12-07)...
 */
export const MIN_CHUNK_SECONDS = 0.03;
/**
 * ... and the floor falls as more share it, down to this: with 16 workers a 10^13 call (about
 * 0.33 s) would otherwise have 11 chunks for 16 workers (`npm run bench:scale-model`).
 */
const MIN_CHUNK_SECONDS_MANY = 0.015;
/** ... and the largest at most this many, so that work spreads and shutdowns are short. */
export const MAX_CHUNK_SECONDS = 1;
/** Each worker gets about this many chunks of a batch, so that the last ones leave little idle time. */
const CHUNKS_PER_WORKER = 6;

/**
 * Plans a batch of targets together, nth primes and prime counts alike: with parallelism above 1
 * every chunk is cut to about the same size, a 1/(6 parallelism) share of the whole batch's work
 * (within minChunkSeconds and MAX_CHUNK_SECONDS), so many targets fill the workers with whole
 * targets, one heavy target is spread over all of them, and a mix does both. One plan per
 * target, in order; a target the small table answers has its answer and no chunks. Every
 * target is validated first; throws like validateTarget.
 */
export function planTargets<T extends PrimeTarget>(
  targets: readonly T[],
  options: TargetPlanOptions = {},
): PlanOf<T>[] {
  const valid = targets.map(validateTarget);
  const parallelism = Math.max(1, Math.floor(options.parallelism ?? 1));
  const costs = valid.map(costTarget);
  const total = options.batchSeconds ?? costs.reduce((sum, cost) => sum + cost.seconds, 0);
  const minChunk = Math.min(minChunkSeconds(parallelism), options.chunkSeconds ?? Infinity);
  // The mean chunk, kept so that the largest (1 + SKEW times it) is within MAX_CHUNK_SECONDS.
  const mean = Math.min(
    MAX_CHUNK_SECONDS / (1 + SKEW),
    options.chunkSeconds ?? Math.max(minChunk, total / (CHUNKS_PER_WORKER * parallelism)),
  );
  const chunksOf = (cost: TargetCost): PrimeCountChunk[] => {
    if (cost.curve === null) return [];
    const work = cost.seconds - cost.walk;
    // Below 1.5 means a split would leave chunks under the floor or barely gain.
    const count =
      options.chunks ??
      (parallelism === 1 || work < 1.5 * mean ? 1 : Math.max(1, Math.round(work / mean)));
    return cutChunks(cost.curve, Math.max(1, count), minChunk);
  };
  return valid.map((target, i) => planOf(target, costs[i]!, chunksOf(costs[i]!)) as PlanOf<T>);
}

/** The least mean chunk for `parallelism`: MIN_CHUNK_SECONDS up to 4, then falling with it. */
export function minChunkSeconds(parallelism: number): number {
  return Math.max(
    MIN_CHUNK_SECONDS_MANY,
    Math.min(MIN_CHUNK_SECONDS, (4 * MIN_CHUNK_SECONDS) / parallelism),
  );
}

function planOf(target: PrimeTarget, cost: TargetCost, chunks: PrimeCountChunk[]): TargetPlan {
  const params = cost.curve?.params ?? null;
  switch (target.kind) {
    case 'nth-prime': {
      const n = target.n.toString();
      if (params === null) {
        const answer = String(smallPrimeTable().nth(Number(target.n)));
        return { kind: 'nth-prime', n, answer, estimate: answer, params, chunks, seconds: 0 };
      }
      // The curve is of pi at the estimate R^-1(n) (see nthPrimeEstimate).
      const { seconds } = cost;
      return { kind: 'nth-prime', n, answer: null, estimate: params.x, params, chunks, seconds };
    }
    case 'prime-count': {
      const x = target.x.toString();
      if (params === null) {
        const answer = smallPrimeCount(target.x).toString();
        return { kind: 'prime-count', x, answer, params, chunks, seconds: 0 };
      }
      return { kind: 'prime-count', x, answer: null, params, chunks, seconds: cost.seconds };
    }
  }
}
