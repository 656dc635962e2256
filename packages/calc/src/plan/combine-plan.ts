import { InvalidArgumentError } from '../errors.js';
import type { PrimeCountParams } from '../prime/prime-count-params.js';
import { combineParts } from '../prime/prime-count-parts.js';
import { nthPrimeNearExact } from '../prime/prime-walk.js';
import type { PrimeCountChunkResult, TargetPlan } from './target-plan.js';

/**
 * The answer of a plan from the results of all its chunks, in any order: pi(x) from the parts,
 * and for an nth-prime plan the walk from x to the answer (tens of milliseconds at n = 10^14,
 * about a second at 10^16: run it where the chunks run, not on a thread that answers calls).
 * Exact over the whole range. A plan with an answer needs no results. Throws
 * InvalidArgumentError when a result is missing, repeated or does not belong to the plan.
 */
export function combinePlan(plan: TargetPlan, results: readonly PrimeCountChunkResult[]): bigint {
  if (plan.answer !== null) return BigInt(plan.answer);
  if (plan.params === null) throw new InvalidArgumentError('plan has neither answer nor params');
  const count = countFromResults(plan.params, plan.chunks.length, results);
  switch (plan.kind) {
    case 'prime-count':
      return count;
    case 'nth-prime':
      return nthPrimeNearExact(BigInt(plan.n), BigInt(plan.estimate), count);
    default:
      throw new InvalidArgumentError(
        `unknown plan kind ${JSON.stringify((plan as { kind: unknown }).kind)}`,
      );
  }
}

/** pi(x) from one result per chunk, each chunk exactly once. */
function countFromResults(
  params: PrimeCountParams,
  chunks: number,
  results: readonly PrimeCountChunkResult[],
): bigint {
  const seen = new Set<number>();
  for (const { index } of results) {
    if (!Number.isInteger(index) || index < 0 || index >= chunks || seen.has(index)) {
      throw new InvalidArgumentError(`unexpected or repeated result for chunk ${index}`);
    }
    seen.add(index);
  }
  if (seen.size !== chunks) {
    throw new InvalidArgumentError(`${chunks - seen.size} of ${chunks} chunk results are missing`);
  }
  try {
    return combineParts(
      params,
      results.flatMap((result) => result.results),
    );
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}
