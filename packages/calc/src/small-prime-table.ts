import { primeKernels } from './prime/wasm-kernels.js';

/** n up to this is answered from the kernels' table of primes, without computing. */
export const SMALL_TABLE_MAX_N = 4_000_000;
/** p(SMALL_TABLE_MAX_N) = 67867967: the tables must reach it. */
const SMALL_TABLE_LIMIT = 67_867_967;

/** The first SMALL_TABLE_MAX_N primes. */
export interface SmallPrimeTable {
  /** The nth prime, for 1 <= n <= SMALL_TABLE_MAX_N. */
  nth(n: number): number;
}

let table: SmallPrimeTable | undefined;

/**
 * The table of the first SMALL_TABLE_MAX_N primes: this thread's kernels' prime list, made to
 * reach p(SMALL_TABLE_MAX_N) on first use (tens of milliseconds; the list stays, 16 MiB, and the
 * computations share it).
 */
export function smallPrimeTable(): SmallPrimeTable {
  if (table === undefined) {
    const kernels = primeKernels();
    kernels.tables(SMALL_TABLE_LIMIT);
    if (kernels.tablesPrimes() < SMALL_TABLE_MAX_N) {
      throw new RangeError(`the tables hold ${kernels.tablesPrimes()} primes`);
    }
    table = { nth: (n) => kernels.primeAt(n) };
  }
  return table;
}
