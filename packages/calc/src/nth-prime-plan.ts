// The nth-prime planner's first API, kept as thin wrappers over planTargets, combinePlan and
// estimateTargetSeconds for the server until it plans targets itself.
import { InvalidArgumentError } from './errors.js';
import { toNumber, validateIndex } from './nth-prime-input.js';
import { combinePlan } from './plan/combine-plan.js';
import { planTargets } from './plan/plan-targets.js';
import { estimateTargetSeconds } from './plan/target-cost.js';
import type {
  NthPrimeTargetPlan,
  PrimeCountChunk,
  PrimeCountChunkResult,
  TargetPlanOptions,
} from './plan/target-plan.js';

/** An nth-prime plan without its kind, each chunk naming its n. */
export interface NthPrimePlan extends Omit<NthPrimeTargetPlan, 'kind' | 'chunks'> {
  readonly chunks: readonly NthPrimeChunk[];
}

/** A chunk that names the n it belongs to. */
export interface NthPrimeChunk extends PrimeCountChunk {
  readonly n: string;
}

/** What computeChunk returns. */
export type NthPrimeChunkResult = PrimeCountChunkResult;

/** What the planner plans for (batchSeconds: sum estimateNthPrimeSeconds over the batch). */
export type NthPrimePlanOptions = TargetPlanOptions;

/** Plans the nth prime (n a bigint, a safe-integer number or a decimal string); throws like validateIndex. */
export function planNthPrime(
  n: bigint | number | string,
  options: NthPrimePlanOptions = {},
): NthPrimePlan {
  const [plan] = planNthPrimes([n], options);
  if (plan === undefined) throw new InvalidArgumentError('no plan');
  return plan;
}

/** planTargets for nth-prime targets alone; throws like validateIndex. */
export function planNthPrimes(
  ns: readonly (bigint | number | string)[],
  options: NthPrimePlanOptions = {},
): NthPrimePlan[] {
  const targets = ns.map((n) => ({ kind: 'nth-prime' as const, n: validateIndex(n) }));
  return planTargets(targets, options).map(({ kind: _, ...plan }) => ({
    ...plan,
    chunks: plan.chunks.map((chunk) => ({ n: plan.n, ...chunk })),
  }));
}

/** estimateTargetSeconds of the nth prime; throws like validateIndex. */
export function estimateNthPrimeSeconds(n: bigint | number | string): number {
  return estimateTargetSeconds({ kind: 'nth-prime', n: validateIndex(n) });
}

/** combinePlan of an nth-prime plan. */
export function combineNthPrimeExact(
  plan: NthPrimePlan,
  results: readonly NthPrimeChunkResult[],
): bigint {
  return combinePlan({ kind: 'nth-prime', ...plan }, results);
}

/**
 * combineNthPrimeExact as a number, for callers of the number API; throws OutOfRangeError when
 * the prime passes 2^53 (n above about 2.5 * 10^14).
 */
export function combineNthPrime(
  plan: NthPrimePlan,
  results: readonly NthPrimeChunkResult[],
): number {
  return toNumber(combineNthPrimeExact(plan, results));
}
