export { CalcError, InvalidArgumentError, OutOfRangeError, OverflowError } from './errors.js';
export { add, INT64_MAX, INT64_MIN, max } from './int64.js';
export { nthPrime, nthPrimes } from './nth-prime.js';
export {
  combineNthPrime,
  computeChunk,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  type NthPrimePlan,
  type NthPrimePlanOptions,
  planNthPrime,
} from './nth-prime-chunks.js';
export { NTH_PRIME_MAX_N, validateN } from './nth-prime-input.js';
export { PRIME_COUNT_MAX_X, primeCount } from './prime-count.js';
export { SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';
