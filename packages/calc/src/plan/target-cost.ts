import { walkSeconds } from '../prime/prime-count-cost.js';
import { primeCountParams } from '../prime/prime-count-params.js';
import { inverseRiemannR } from '../prime/riemann-r.js';
import { SMALL_COUNT_MAX_X } from '../small-prime-count.js';
import { SMALL_TABLE_MAX_N } from '../small-prime-table.js';
import { type CostCurve, costCurve } from './cost-curve.js';
import { type PrimeTarget, targetKey, validateTarget } from './prime-target.js';

/** What a target costs: the curve of its pi(x) (null when no chunk is needed) and the walk. */
export interface TargetCost {
  readonly curve: CostCurve | null;
  /** Estimated seconds of the walk from x to the nth prime; 0 for a count. */
  readonly walk: number;
  /** Estimated seconds on one core of the whole target: the curve and the walk. */
  readonly seconds: number;
}

const NO_COST: TargetCost = { curve: null, walk: 0, seconds: 0 };

/**
 * Estimated seconds on one core to compute a target (0 when the small table answers it): what
 * a batch planned in slices sums for `batchSeconds`, and what a rate limiter prices a call by.
 * A few milliseconds the first time, then kept. Throws like validateTarget.
 */
export function estimateTargetSeconds(target: PrimeTarget): number {
  return costTarget(validateTarget(target)).seconds;
}

/** Costs kept, so that a batch planned in two passes (estimate, then cut) estimates each target once. */
const KEPT_COSTS = 1024;
const costs = new Map<string, TargetCost>();

/** The cost of a valid target, from the cache or estimated now. */
export function costTarget(target: PrimeTarget): TargetCost {
  const key = targetKey(target);
  let cost = costs.get(key);
  if (cost === undefined) {
    cost = estimate(target);
    costs.set(key, cost);
    if (costs.size > KEPT_COSTS) costs.delete(costs.keys().next().value as string);
  }
  return cost;
}

/** Where the pi(x) of an nth-prime target is computed: R^-1(n), within a few sqrt(n) of p(n). */
export function nthPrimeEstimate(n: bigint): bigint {
  // In doubles: an estimate, which is all the walk expects.
  return BigInt(inverseRiemannR(Number(n)));
}

function estimate(target: PrimeTarget): TargetCost {
  switch (target.kind) {
    case 'nth-prime': {
      if (target.n <= BigInt(SMALL_TABLE_MAX_N)) return NO_COST;
      const x = nthPrimeEstimate(target.n);
      const curve = costCurve(primeCountParams(x));
      const walk = walkSeconds(Number(x));
      return { curve, walk, seconds: curve.total + walk };
    }
    case 'prime-count': {
      if (target.x <= BigInt(SMALL_COUNT_MAX_X)) return NO_COST;
      const curve = costCurve(primeCountParams(target.x));
      return { curve, walk: 0, seconds: curve.total };
    }
  }
}
