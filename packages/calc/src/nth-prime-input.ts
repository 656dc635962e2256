import { InvalidArgumentError, OutOfRangeError } from './errors.js';

/**
 * Largest n of the number API (nthPrime, nthPrimes, validateN): its answers must stay below
 * 2^53 to be exact numbers. The exact API takes n up to NTH_PRIME_MAX_INDEX.
 */
export const NTH_PRIME_MAX_N = 1e14;

/** Largest n the exact API (nthPrimeExact, planNthPrimes, ...) accepts: p(10^16) = 394906913903735329. */
export const NTH_PRIME_MAX_INDEX = 10n ** 16n;

/**
 * Returns n when it is a valid prime index (a safe integer with 1 <= n <= maxN); otherwise throws
 * InvalidArgumentError (not an integer, below 1) or OutOfRangeError (above maxN). The number API.
 */
export function validateN(n: number, maxN: number = NTH_PRIME_MAX_N): number {
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`n = ${n} is not an integer`);
  if (n < 1) throw new InvalidArgumentError(`n = ${n}: n must be at least 1 (the 1st prime is 2)`);
  if (n > maxN) throw new OutOfRangeError(`n = ${n} is above the maximum ${maxN}`);
  return n;
}

/**
 * n as a bigint when it is a valid prime index, 1 <= n <= maxN: a bigint, a safe-integer number
 * or a decimal string. Throws InvalidArgumentError (not an integer, below 1) or OutOfRangeError
 * (above maxN), with the messages of validateN.
 */
export function validateIndex(
  n: bigint | number | string,
  maxN: bigint | number = NTH_PRIME_MAX_INDEX,
): bigint {
  let index: bigint;
  if (typeof n === 'bigint') index = n;
  else if (typeof n === 'number' && Number.isSafeInteger(n)) index = BigInt(n);
  else if (typeof n === 'string' && /^-?\d+$/.test(n)) index = BigInt(n);
  else throw new InvalidArgumentError(`n = ${n} is not an integer`);
  if (index < 1n) {
    throw new InvalidArgumentError(`n = ${index}: n must be at least 1 (the 1st prime is 2)`);
  }
  if (index > BigInt(maxN)) throw new OutOfRangeError(`n = ${index} is above the maximum ${maxN}`);
  return index;
}

/** A prime as a number; throws OutOfRangeError past 2^53, where numbers are no longer exact. */
export function toNumber(prime: bigint): number {
  if (prime > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new OutOfRangeError(`${prime} is above 2^53: use the exact (bigint) API`);
  }
  return Number(prime);
}
