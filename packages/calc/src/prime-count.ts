import { MIN_PRIME_COUNT_X, primeCountParams } from './prime/prime-count-params.js';
import { combineParts, computePart, wholeParts } from './prime/prime-count-parts.js';
import { primesUpTo } from './prime/sieve.js';
import { validateX } from './prime-count-input.js';

/**
 * pi(x), the number of primes <= x, for 0 <= x <= PRIME_COUNT_MAX_X (a bigint, a safe-integer
 * number or a decimal string), in one piece on this thread. Throws like validateX.
 */
export function primeCount(x: bigint | number | string): bigint {
  return countPrimes(validateX(x));
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
