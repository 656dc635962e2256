/** The first primes, whose products (primorials) make phi(x, c) periodic. */
const TINY_PRIMES = [2, 3, 5, 7, 11, 13] as const;

/** Largest c for which phiTiny answers. */
export const PHI_TINY_MAX_C = TINY_PRIMES.length;

interface PhiTinyTable {
  readonly primorial: number;
  readonly totient: number;
  /** counts[r] = how many of 1..r are coprime to the primorial. */
  readonly counts: Uint16Array;
}

function buildTable(c: number): PhiTinyTable {
  let primorial = 1;
  let totient = 1;
  for (let i = 0; i < c; i++) {
    primorial *= TINY_PRIMES[i]!;
    totient *= TINY_PRIMES[i]! - 1;
  }
  const counts = new Uint16Array(primorial);
  let running = 0;
  for (let r = 1; r < primorial; r++) {
    let coprime = true;
    for (let i = 0; i < c && coprime; i++) if (r % TINY_PRIMES[i]! === 0) coprime = false;
    if (coprime) running++;
    counts[r] = running;
  }
  return { primorial, totient, counts };
}

const tables: PhiTinyTable[] = [];
for (let c = 0; c <= PHI_TINY_MAX_C; c++) tables.push(buildTable(c));

/**
 * phi(x, c): how many integers in [1, x] have no prime factor among the first c primes,
 * in constant time for c <= PHI_TINY_MAX_C.
 */
export function phiTiny(x: number, c: number): number {
  const table = tables[c]!;
  const q = Math.floor(x / table.primorial);
  return q * table.totient + table.counts[x - q * table.primorial]!;
}
