import { isqrt } from './integer-root.js';
import { popcount32 } from './popcount.js';
import { primesUpTo } from './sieve.js';
import { crossOffOddMultiples, fillFromWheel, WHEEL_PRIMES } from './wheel-pattern.js';

/** Words sieved at once (2^18 integers), so the window stays in the CPU cache. */
const SEGMENT_WORDS = 1 << 12;

/**
 * pi(u) in constant time for every 0 <= u <= limit: one bit per odd number and a running count
 * per 32-bit word: one bit per integer (6 MiB for limit = 5 * 10^7).
 */
export class PiTable {
  /** bit j of word w is set when the odd number 64w + 2j + 1 is prime. */
  private readonly bits: Int32Array;
  /** counts[w] = number of odd primes below 64w. */
  private readonly counts: Uint32Array;

  constructor(readonly limit: number) {
    const words = Math.floor(limit / 64) + 1;
    const bits = new Int32Array(words);
    const sievingPrimes = primesUpTo(isqrt(limit) + 1);
    for (let w0 = 0; w0 < words; w0 += SEGMENT_WORDS) {
      const count = Math.min(SEGMENT_WORDS, words - w0);
      const segment = bits.subarray(w0, w0 + count);
      const low = w0 * 64;
      const high = low + count * 64;
      fillFromWheel(segment, low, count);
      for (let k = WHEEL_PRIMES.length + 1; k < sievingPrimes.length; k++) {
        const p = sievingPrimes[k]!;
        if (p * p >= high) break;
        crossOffOddMultiples(segment, low, count * 32, p, p * p);
      }
    }
    bits[0] = (bits[0]! & ~1) | WHEEL_PRIMES.reduce((mask, p) => mask | (1 << ((p - 1) / 2)), 0);
    // Bits above limit in the last word may be set; no query reads them.
    this.bits = bits;
    this.counts = new Uint32Array(words);
    let running = 0;
    for (let w = 0; w < words; w++) {
      this.counts[w] = running;
      running += popcount32(bits[w]!);
    }
  }

  /** Number of primes <= u, for 0 <= u <= limit. */
  pi(u: number): number {
    if (u < 3) return u < 2 ? 0 : 1;
    const j = (u - 1) >>> 1; // index of the largest odd number <= u
    const w = j >>> 5;
    return 1 + this.counts[w]! + popcount32(this.bits[w]! & (0xffffffff >>> (31 - (j & 31))));
  }

  /** The largest prime <= u, for 2 <= u <= limit. */
  primeAtOrBelow(u: number): number {
    if (u < 3) return 2;
    let j = (u - 1) >>> 1;
    let w = j >>> 5;
    let word = this.bits[w]! & (0xffffffff >>> (31 - (j & 31)));
    while (word === 0) {
      if (w === 0) return 2;
      word = this.bits[--w]!;
    }
    j = w * 32 + 31 - Math.clz32(word);
    return 2 * j + 1;
  }

  /** The smallest prime > p, for p < the largest prime <= limit. */
  nextPrime(p: number): number {
    if (p < 2) return 2;
    let j = (p + 1) >>> 1; // index of the first odd number > p
    let w = j >>> 5;
    let word = this.bits[w]! & ~((1 << (j & 31)) - 1);
    while (word === 0) word = this.bits[++w]!;
    j = w * 32 + 31 - Math.clz32(word & -word);
    return 2 * j + 1;
  }

  /** Calls `visit(p)` for every prime p with from < p <= to (to <= limit), ascending. */
  forEachPrime(from: number, to: number, visit: (p: number) => void): void {
    if (from < 2 && to >= 2) visit(2);
    const jEnd = (to - 1) >>> 1;
    for (let j = Math.max(1, Math.floor((from + 1) / 2)); j <= jEnd; j++) {
      if (this.bits[j >>> 5]! & (1 << (j & 31))) visit(2 * j + 1);
    }
  }
}
