import { InvalidArgumentError, OverflowError } from './errors.js';

/** Smallest int64 value, -2^63. */
export const INT64_MIN = -(1n << 63n);
/** Largest int64 value, 2^63 - 1. */
export const INT64_MAX = (1n << 63n) - 1n;

function assertInt64(value: bigint, name: string): void {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new InvalidArgumentError(`${name} = ${value} is not an int64`);
  }
}

/** The exact sum a + b; throws OverflowError when it leaves int64 instead of wrapping. */
export function add(a: bigint, b: bigint): bigint {
  assertInt64(a, 'a');
  assertInt64(b, 'b');
  const sum = a + b;
  if (sum < INT64_MIN || sum > INT64_MAX) throw new OverflowError('add', [a, b]);
  return sum;
}

/** The larger of a and b. */
export function max(a: bigint, b: bigint): bigint {
  assertInt64(a, 'a');
  assertInt64(b, 'b');
  return a >= b ? a : b;
}
