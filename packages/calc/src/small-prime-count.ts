import { validateX } from './prime-count-input.js';
import { SMALL_TABLE_LIMIT, smallPrimeTable } from './small-prime-table.js';

/**
 * x up to this is counted from the small table's pi table, without computing: p(SMALL_TABLE_MAX_N)
 * = 67867967, so pi(x) here is at most SMALL_TABLE_MAX_N, the nth primes answered the same way.
 */
export const SMALL_COUNT_MAX_X = SMALL_TABLE_LIMIT;

/**
 * pi(x) for 0 <= x <= SMALL_COUNT_MAX_X from the small table: a lookup once the table is built
 * (its first use on a thread builds it, a few tens of milliseconds). Throws like validateX, with
 * SMALL_COUNT_MAX_X as the maximum.
 */
export function smallPrimeCount(x: bigint | number | string): bigint {
  return BigInt(smallPrimeTable().count(Number(validateX(x, SMALL_COUNT_MAX_X))));
}
