import { primeKernels } from './prime/wasm-kernels.js';

/** n up to this is answered from the kernels' table of primes, without computing. */
export const SMALL_TABLE_MAX_N = 4_000_000;
/** p(SMALL_TABLE_MAX_N) = 67867967: the pi table must reach it. */
export const SMALL_TABLE_LIMIT = 67_867_967;

/** The first SMALL_TABLE_MAX_N primes, and pi up to the last of them. */
export interface SmallPrimeTable {
  /** The nth prime, for 1 <= n <= SMALL_TABLE_MAX_N. */
  nth(n: number): number;
  /** pi(x), for 0 <= x <= SMALL_TABLE_LIMIT. */
  count(x: number): number;
}

let table: SmallPrimeTable | undefined;

/**
 * The table of the first SMALL_TABLE_MAX_N primes: this thread's kernels' pi table, made to reach
 * p(SMALL_TABLE_MAX_N) on first use (a few tens of milliseconds; 4.5 MiB that the computations
 * share), the nth prime found in it by a binary search and a select, pi(x) by a load and a
 * popcount.
 */
export function smallPrimeTable(): SmallPrimeTable {
  if (table === undefined) {
    const kernels = primeKernels();
    kernels.tables(SMALL_TABLE_LIMIT, 0);
    table = { nth: (n) => kernels.nthPrimeFromPi(n), count: (x) => kernels.pi(x) };
  }
  return table;
}
