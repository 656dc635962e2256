export { CalcError, InvalidArgumentError, OutOfRangeError, OverflowError } from './errors.js';
export { add, INT64_MAX, INT64_MIN, max } from './int64.js';
export { nthPrime, nthPrimeExact, nthPrimes, nthPrimesExact } from './nth-prime.js';
export {
  NTH_PRIME_MAX_INDEX,
  NTH_PRIME_MAX_N,
  toNumber,
  validateIndex,
  validateN,
} from './nth-prime-input.js';
export {
  combineNthPrime,
  combineNthPrimeExact,
  estimateNthPrimeSeconds,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  type NthPrimePlan,
  type NthPrimePlanOptions,
  planNthPrime,
  planNthPrimes,
} from './nth-prime-plan.js';
export {
  type NthPrimeWarmUpOptions,
  prepareNthPrimeTables,
  warmUpNthPrime,
} from './nth-prime-warm-up.js';
export { combinePlan } from './plan/combine-plan.js';
export { computeChunk } from './plan/compute-chunk.js';
export {
  MAX_CHUNK_SECONDS,
  MIN_CHUNK_SECONDS,
  minChunkSeconds,
  planTargets,
} from './plan/plan-targets.js';
export type { NthPrimeTarget, PrimeCountTarget, PrimeTarget } from './plan/prime-target.js';
export { estimateTargetSeconds } from './plan/target-cost.js';
export type {
  NthPrimeTargetPlan,
  PlanOf,
  PrimeCountChunk,
  PrimeCountChunkResult,
  PrimeCountTargetPlan,
  TargetPlan,
  TargetPlanOptions,
} from './plan/target-plan.js';
export type { PrimeCountParams } from './prime/prime-count-params.js';
export type {
  HardLeafSum,
  PrimeCountPart,
  PrimeCountPartResult,
  PrimeLineSum,
} from './prime/prime-count-parts.js';
export { primeCount } from './prime-count.js';
export { PRIME_COUNT_MAX_X, validateX } from './prime-count-input.js';
export { SMALL_COUNT_MAX_X, smallPrimeCount } from './small-prime-count.js';
export { SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';
