import { InvalidArgumentError, OutOfRangeError } from './errors.js';

/**
 * Largest x of a prime count, 5 * 10^17: p(10^16) is about 3.95 * 10^17. The kernels' 64-bit
 * arithmetic, their tables (below 2^32) and the hard leaves' factor table (z < 2^30) hold to it.
 */
export const PRIME_COUNT_MAX_X = 5n * 10n ** 17n;

/**
 * x as a bigint when it is a valid prime-count argument, 0 <= x <= maxX: a bigint, a
 * safe-integer number or a decimal string. Throws InvalidArgumentError (not an integer,
 * negative) or OutOfRangeError (above maxX).
 */
export function validateX(
  x: bigint | number | string,
  maxX: bigint | number = PRIME_COUNT_MAX_X,
): bigint {
  let value: bigint;
  if (typeof x === 'bigint') value = x;
  else if (typeof x === 'number' && Number.isSafeInteger(x)) value = BigInt(x);
  else if (typeof x === 'string' && /^-?\d+$/.test(x)) value = BigInt(x);
  else throw new InvalidArgumentError(`x = ${x} is not an integer`);
  if (value < 0n) throw new InvalidArgumentError(`x = ${value}: x must not be negative`);
  if (value > BigInt(maxX)) throw new OutOfRangeError(`x = ${value} is above the maximum ${maxX}`);
  return value;
}
