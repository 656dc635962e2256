import { InvalidArgumentError, OutOfRangeError } from './errors.js';
import {
  combinePrimeCount,
  computePrimeCountChunk,
  splitPrimeCount,
} from './prime/prime-count-chunks.js';
import { primeCountParams } from './prime/prime-count-params.js';
import { primesUpTo } from './prime/sieve.js';

/** Largest x primeCount accepts: p(10^12) is about 3 * 10^13; 10^14 leaves room above it. */
export const PRIME_COUNT_MAX_X = 1e14;

/** Below this, pi(x) is a plain sieve count. */
const DIRECT_COUNT_LIMIT = 100_000;

/** pi(x), the number of primes <= x, for 0 <= x <= PRIME_COUNT_MAX_X. */
export function primeCount(x: number): number {
  if (!Number.isSafeInteger(x)) throw new InvalidArgumentError(`x = ${x} is not an integer`);
  if (x < 0) throw new InvalidArgumentError(`x = ${x}: x must not be negative`);
  if (x > PRIME_COUNT_MAX_X) {
    throw new OutOfRangeError(`x = ${x} is above the maximum ${PRIME_COUNT_MAX_X}`);
  }
  return countPrimes(x);
}

/** pi(x) without validation: a sieve for small x, else the chunked method run in place. */
export function countPrimes(x: number): number {
  if (x < DIRECT_COUNT_LIMIT) return primesUpTo(x).length;
  const params = primeCountParams(x);
  return combinePrimeCount(params, splitPrimeCount(params, 1, 1).map(computePrimeCountChunk));
}
