import { InvalidArgumentError, OutOfRangeError } from './errors.js';
import { MIN_PRIME_COUNT_X, primeCountParams } from './prime/prime-count-params.js';
import { combineParts, computePart, wholeParts } from './prime/prime-count-parts.js';
import { primesUpTo } from './prime/sieve.js';

/**
 * Largest x primeCount accepts, 5 * 10^17: p(10^16) is about 3.95 * 10^17. The kernels' 64-bit
 * arithmetic, their tables (below 2^32) and the hard leaves' factor table (z < 2^30) hold to it.
 */
export const PRIME_COUNT_MAX_X = 5n * 10n ** 17n;

/** pi(x), the number of primes <= x, for 0 <= x <= PRIME_COUNT_MAX_X (a bigint, or a safe-integer number). */
export function primeCount(x: bigint | number): bigint {
  if (typeof x === 'number' && !Number.isSafeInteger(x)) {
    throw new InvalidArgumentError(`x = ${x} is not an integer`);
  }
  const big = BigInt(x);
  if (big < 0n) throw new InvalidArgumentError(`x = ${x}: x must not be negative`);
  if (big > PRIME_COUNT_MAX_X) {
    throw new OutOfRangeError(`x = ${x} is above the maximum ${PRIME_COUNT_MAX_X}`);
  }
  return countPrimes(big);
}

/** pi(x) without validation: a sieve for small x, else Gourdon's method run in place. */
export function countPrimes(x: bigint): bigint {
  if (x < BigInt(MIN_PRIME_COUNT_X)) return BigInt(primesUpTo(Number(x)).length);
  const params = primeCountParams(x);
  return combineParts(
    params,
    wholeParts(params).map((part) => computePart(params, part)),
  );
}
