import { InvalidArgumentError, OutOfRangeError } from './errors.js';

/** Largest n nthPrime accepts: p(10^14) = 3475385758524527, below 2^53 like every step to it. */
export const NTH_PRIME_MAX_N = 1e14;

/**
 * Returns n when it is a valid prime index (a safe integer with 1 <= n <= maxN); otherwise throws
 * InvalidArgumentError (not an integer, below 1) or OutOfRangeError (above maxN).
 */
export function validateN(n: number, maxN: number = NTH_PRIME_MAX_N): number {
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`n = ${n} is not an integer`);
  if (n < 1) throw new InvalidArgumentError(`n = ${n}: n must be at least 1 (the 1st prime is 2)`);
  if (n > maxN) throw new OutOfRangeError(`n = ${n} is above the maximum ${maxN}`);
  return n;
}
