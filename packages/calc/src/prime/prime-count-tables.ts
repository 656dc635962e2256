import { div } from './exact-division.js';
import { isqrt } from './integer-root.js';
import { LeafFactorTable } from './leaf-factor-table.js';
import type { ReferenceParams } from './prime-count-params.js';
import { piArray, primesThrough } from './prime-tables.js';

/** The primes and pi(u) up to one limit that covers every lookup the parts of pi(x) make. */
export interface PrimeCountTables {
  /** 1-based: primes[b] is the bth prime; it runs past the prime after y (and maybe further). */
  readonly primes: Uint32Array;
  /** pi[u] for 0 <= u <= limit. */
  readonly pi: Int32Array;
  readonly limit: number;
}

/** Beyond the largest lookup, far enough to hold the next prime (gaps below 2^32 are under 400). */
const NEXT_PRIME_MARGIN = 512;
/** Tables kept per process: a worker given several parts of one x (or of a few) builds them once. */
const KEPT = 4;

const tables = new Map<number, PrimeCountTables>();
const factorTables = new Map<string, LeafFactorTable>();

/** Keeps the newest KEPT entries of a map used in insertion order. */
function remember<K, V>(cache: Map<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
    if (cache.size > KEPT) cache.delete(cache.keys().next().value as K);
  } else {
    cache.delete(key);
    cache.set(key, value);
  }
  return value;
}

/**
 * The tables for pi(x): up to z (the composed easy leaves look pi up below z), sqrt(x / x*)
 * (A's second prime) and x / (x* y) (Sigma4), with room for the prime after each.
 */
export function primeCountTables(params: ReferenceParams): PrimeCountTables {
  const { x, y, z, xStar } = params;
  const limit = Math.max(z, isqrt(div(x, xStar)), div(x, xStar * y)) + NEXT_PRIME_MARGIN;
  return remember(tables, limit, () => {
    const primes = primesThrough(limit);
    return { primes, pi: piArray(primes, limit), limit };
  });
}

/**
 * The factor table of the hard leaves' composite m: from z / p for the largest prime p <=
 * sqrt(z) (no leaf has a smaller m) to z.
 */
export function hardLeafFactors(params: ReferenceParams): LeafFactorTable {
  const { y, z } = params;
  return remember(factorTables, `${y}:${z}`, () => {
    const { primes, pi } = primeCountTables(params);
    const largest = primes[pi[isqrt(z)]!]!;
    return new LeafFactorTable(div(z, largest) + 1, z, y, primes);
  });
}

/** Drops every kept table, so the next part builds its own (benchmarks of a fresh worker). */
export function forgetPrimeCountTables(): void {
  tables.clear();
  factorTables.clear();
}
