import { InvalidArgumentError, OutOfRangeError } from './errors.js';
import { MIN_PRIME_COUNT_X, primeCountParams } from './prime/prime-count-params.js';
import { combineParts, computePart, wholeParts } from './prime/prime-count-parts.js';
import { primesUpTo } from './prime/sieve.js';

/**
 * Largest x primeCount accepts: p(10^14) is about 3.48 * 10^15. Below 2^52, so every product
 * and quotient the count forms stays exact in a double (prime/exact-division.ts).
 */
export const PRIME_COUNT_MAX_X = 4e15;

/** pi(x), the number of primes <= x, for 0 <= x <= PRIME_COUNT_MAX_X. */
export function primeCount(x: number): number {
  if (!Number.isSafeInteger(x)) throw new InvalidArgumentError(`x = ${x} is not an integer`);
  if (x < 0) throw new InvalidArgumentError(`x = ${x}: x must not be negative`);
  if (x > PRIME_COUNT_MAX_X) {
    throw new OutOfRangeError(`x = ${x} is above the maximum ${PRIME_COUNT_MAX_X}`);
  }
  return countPrimes(x);
}

/** pi(x) without validation: a sieve for small x, else Gourdon's method run in place. */
export function countPrimes(x: number): number {
  if (x < MIN_PRIME_COUNT_X) return primesUpTo(x).length;
  const params = primeCountParams(x);
  return combineParts(
    params,
    wholeParts(params).map((part) => computePart(params, part)),
  );
}
