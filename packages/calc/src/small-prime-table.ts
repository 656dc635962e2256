import { NthPrimeTable } from './prime/nth-prime-table.js';

/** n up to this is answered from an in-memory table (about 4 MiB, built once on first use). */
export const SMALL_TABLE_MAX_N = 4_000_000;

let table: NthPrimeTable | undefined;

/** The table of the first SMALL_TABLE_MAX_N primes, built on first use (a few hundred ms). */
export function smallPrimeTable(): NthPrimeTable {
  table ??= new NthPrimeTable(SMALL_TABLE_MAX_N);
  return table;
}
