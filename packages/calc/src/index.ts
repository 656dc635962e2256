export { CalcError, InvalidArgumentError, OutOfRangeError, OverflowError } from './errors.js';
export { add, INT64_MAX, INT64_MIN, max } from './int64.js';
export { nthPrime, nthPrimes } from './nth-prime.js';
export { NTH_PRIME_MAX_N, validateN } from './nth-prime-input.js';
export {
  combineNthPrime,
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
export { prepareNthPrimeTables } from './nth-prime-warm-up.js';
export type { PrimeCountParams } from './prime/prime-count-params.js';
export type { PrimeCountPart, PrimeCountPartResult } from './prime/prime-count-parts.js';
export { PRIME_COUNT_MAX_X, primeCount } from './prime-count.js';
export { SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';
