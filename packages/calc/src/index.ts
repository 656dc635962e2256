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
  computeChunk,
  estimateNthPrimeSeconds,
  MAX_CHUNK_SECONDS,
  MIN_CHUNK_SECONDS,
  minChunkSeconds,
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
export type { PrimeCountParams } from './prime/prime-count-params.js';
export type {
  HardLeafSum,
  PrimeCountPart,
  PrimeCountPartResult,
  PrimeLineSum,
} from './prime/prime-count-parts.js';
export { PRIME_COUNT_MAX_X, primeCount } from './prime-count.js';
export { SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';
