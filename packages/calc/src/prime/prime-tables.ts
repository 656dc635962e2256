import { isqrt } from './integer-root.js';
import { OddWindowSieve } from './odd-window-sieve.js';
import { primesUpTo } from './sieve.js';

/** Up to here a plain sieve is quickest; above, a windowed one keeps its memory in the cache. */
const PLAIN_SIEVE_LIMIT = 1 << 22;
const WINDOW = 1 << 18;

/**
 * The primes up to `limit`, 1-based as the formulas index them: primes[0] = 0 and primes[b]
 * is the bth prime, so primes[pi(v)] is the largest prime <= v.
 */
export function primeList(limit: number): Uint32Array {
  if (limit <= PLAIN_SIEVE_LIMIT) {
    const primes = primesUpTo(limit);
    const list = new Uint32Array(primes.length + 1);
    list.set(primes, 1);
    return list;
  }
  const sievingPrimes = primeList(isqrt(limit) + 1);
  // pi(v) < 1.26 v / ln v (Rosser and Schoenfeld) bounds the list.
  const list = new Uint32Array(Math.ceil((1.26 * limit) / Math.log(limit)) + 2);
  list[1] = 2;
  let count = 1;
  const sieve = new OddWindowSieve(WINDOW);
  sieve.begin(0, limit + 1, sievingPrimes);
  while (sieve.next()) {
    const { words, base, used } = sieve;
    for (let w = 0; w < used; w++) {
      for (let bits = words[w]!; bits !== 0; bits &= bits - 1) {
        list[++count] = base + 64 * w + 2 * (31 - Math.clz32(bits & -bits)) + 1;
      }
    }
  }
  return list.slice(0, count + 1);
}

/** pi(u) for every 0 <= u <= limit as a flat array (one lookup each), from a primeList covering limit. */
export function piArray(primes: Uint32Array, limit: number): Int32Array {
  const pi = new Int32Array(limit + 1);
  for (let b = 1; b < primes.length && primes[b]! <= limit; b++) {
    pi.fill(b, primes[b]!, Math.min(limit + 1, primes[b + 1] ?? limit + 1));
  }
  return pi;
}

/** The longest list made so far in this thread, and the limit it covers. */
let kept: { readonly primes: Uint32Array; readonly limit: number } | undefined;

/**
 * A primeList covering at least `limit`, possibly running further: one list per thread, grown
 * by a quarter at a time, so consecutive computations of a similar x (each chunk of a batch,
 * each walk near the last) reuse it instead of sieving again. At most sqrt(4 * 10^15) = 6.3e7
 * for the walk, 15 MiB.
 */
export function primesThrough(limit: number): Uint32Array {
  if (kept === undefined || kept.limit < limit) {
    const grown = kept === undefined ? limit : Math.max(limit, Math.ceil(kept.limit * 1.25));
    kept = { primes: primeList(grown), limit: grown };
  }
  return kept.primes;
}
