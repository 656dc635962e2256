import { div } from './exact-division.js';
import { isqrt } from './integer-root.js';
import { OddWindowSieve } from './odd-window-sieve.js';
import { popcount32 } from './popcount.js';
import type { ReferenceParams } from './prime-count-params.js';
import { primeCountTables } from './prime-count-tables.js';
import type { PrimeLineSum } from './prime-line-sum.js';
import { primesThrough } from './prime-tables.js';

/** Numbers per window: 16 KiB of bits, in the L1 cache while primes are crossed off. */
const WINDOW = 1 << 18;

/**
 * -B restricted to u = x / p in [low, high), a range of [sqrt(x), x / y): minus the sum of
 * pi(x / p) over the primes y < p <= sqrt(x) whose x / p falls there. B is pi's share of the
 * numbers with two prime factors above y (the P2 of Lehmer's formula).
 */
export function largePrimeSum(params: ReferenceParams, low: number, high: number): PrimeLineSum {
  const { x, y } = params;
  const sqrtX = isqrt(x);
  const sievingPrimes = primeCountTables(params).primes; // up to z > sqrt(x / y)
  // The p whose x / p lies in [low, high), descending, so that their x / p ascend.
  const ps = primesIn(Math.max(y, div(x, high)) + 1, Math.min(sqrtX, div(x, Math.max(low, 1))) + 1);
  let next = ps.length - 1;
  const sieve = new OddWindowSieve(WINDOW);
  const words = sieve.words;
  const before = new Int32Array(words.length + 1); // primes in the window's words below w

  let seen = 0; // primes in [low, wLow)
  let localSum = 0;
  sieve.begin(low, high, sievingPrimes);
  while (sieve.next()) {
    const { used, windowHigh: wHigh } = sieve;
    for (let w = 0; w < used; w++) before[w + 1] = before[w]! + popcount32(words[w]!);
    const base = sieve.base;
    for (; next >= 0; next--) {
      const u = div(x, ps[next]!);
      if (u >= wHigh) break;
      const j = (u - base - 1) >> 1; // the largest odd number <= u; -1 when u = base
      if (j < 0) {
        localSum += seen;
        continue;
      }
      const w = j >>> 5;
      localSum += seen + before[w]! + popcount32(words[w]! & (0xffffffff >>> (31 - (j & 31))));
    }
    seen += before[used]!;
  }
  // u >= sqrt(x) > 2, so the prime 2 is never in range: no term needs it.
  return { low, high, primes: seen, localSum: -localSum, weight: -ps.length, constant: 0 };
}

/** The primes in [from, to), ascending. */
function primesIn(from: number, to: number): Uint32Array {
  if (to <= from) return new Uint32Array(0);
  const sievingPrimes = primesThrough(isqrt(to) + 1);
  const sieve = new OddWindowSieve(WINDOW);
  const found: number[] = [];
  if (from <= 2 && to > 2) found.push(2);
  sieve.begin(from, to, sievingPrimes);
  while (sieve.next()) {
    const { words, base, used } = sieve;
    for (let w = 0; w < used; w++) {
      let bits = words[w]!;
      while (bits !== 0) {
        const bit = 31 - Math.clz32(bits & -bits);
        found.push(base + 64 * w + 2 * bit + 1);
        bits &= bits - 1;
      }
    }
  }
  return Uint32Array.from(found);
}
