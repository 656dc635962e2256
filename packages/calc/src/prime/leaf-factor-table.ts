import { isqrt } from './integer-root.js';

/** The residues mod 30 of the numbers with no factor 2, 3 or 5. */
const RESIDUES = [1, 7, 11, 13, 17, 19, 23, 29] as const;
/** The entry of a prime m: above every (p << 1 | 1) it is compared with, and odd (mu = -1). */
const PRIME = 0xffff;
/** Entries factored at once: the scattered writes of a block stay in the L2 cache. */
const BLOCK = 1 << 15;
/** AT_MOST[r]: how many residues are <= r. */
const AT_MOST: readonly number[] = Array.from(
  { length: 30 },
  (_, r) => RESIDUES.filter((residue) => residue <= r).length,
);

/** The number coprime to 30 with index i (index 0 is 1, index 1 is 7, ...). */
export function coprimeAt(i: number): number {
  return 30 * (i >>> 3) + RESIDUES[i & 7]!;
}

/** Index of the largest number coprime to 30 that is <= v (v >= 0); -1 when there is none. */
export function coprimeIndexAtMost(v: number): number {
  const q = Math.floor(v / 30);
  return 8 * q + AT_MOST[v - 30 * q]! - 1;
}

/**
 * What the hard leaves need to know of each m in [from, to] coprime to 30 (a leaf's m has no
 * factor below 17), in 16 bits so the table takes half the cache: 0 when m cannot be a leaf's m
 * (it is 1, has a square factor, or has a prime factor above y), 0xffff when m is prime, else
 * (lpf(m) << 1) | odd, where odd is 1 when m has an odd number of prime factors (mu(m) = -1);
 * lpf(m) <= sqrt(to) < 2^15 there. So `entry > (p << 1 | 1)` says "m is squarefree with every
 * factor in (p, y]" in one comparison (p < 2^15), and the low bit gives the leaf's sign -mu(m).
 */
export class LeafFactorTable {
  /** entries[i] describes coprimeAt(firstIndex + i) (read directly in the hard leaves' hot loop). */
  readonly entries: Uint16Array;
  readonly firstIndex: number;

  /** Factors the m in [from, to] (to < 2^30), using `primes` (1-based, covering sqrt(to)). */
  constructor(from: number, to: number, y: number, primes: Uint32Array) {
    if (to >= 2 ** 30) throw new RangeError(`m up to ${to} needs factors above 2^15`);
    const firstIndex = coprimeIndexAtMost(Math.max(from, 1) - 1) + 1;
    const size = Math.max(0, coprimeIndexAtMost(to) - firstIndex + 1);
    this.firstIndex = firstIndex;
    this.entries = new Uint16Array(size);
    if (size === 0) return;
    const root = isqrt(to);
    let top = 1;
    while (top + 1 < primes.length && primes[top + 1]! <= root) top++;
    // The multiples of d coprime to 30 are d n for n coprime to 30: for each residue of n mod 30
    // they step by 30 d, that is 8 d indices. next[8 s + r] is the next index of progression r of
    // sieving number s (q = primes[4 + s >> 1] when s is even, its square when odd).
    const sieving = 2 * Math.max(0, top - 3);
    const next = new Float64Array(8 * sieving);
    for (let s = 0; s < sieving; s++) {
      const q = primes[4 + (s >> 1)]!;
      const d = s & 1 ? q * q : q;
      const nFrom = Math.ceil(Math.max(from, 1) / d);
      for (let r = 0; r < 8; r++) {
        const n = nFrom + ((RESIDUES[r]! - (nFrom % 30) + 30) % 30);
        next[8 * s + r] = d * n > to ? size : coprimeIndexAtMost(d * n) - firstIndex;
      }
    }
    // Block by block, so the scattered writes stay in the cache.
    const lpf = new Int32Array(BLOCK);
    const product = new Int32Array(BLOCK); // of m's distinct prime factors up to sqrt(to)
    const odd = new Uint8Array(BLOCK);
    const squareful = new Uint8Array(BLOCK);
    const entries = this.entries;
    for (let start = 0; start < size; start += BLOCK) {
      const end = Math.min(start + BLOCK, size);
      lpf.fill(0);
      product.fill(1);
      odd.fill(0);
      squareful.fill(0);
      // Primes descend, so the least factor is written last.
      for (let s = sieving - 2; s >= 0; s -= 2) {
        const q = primes[4 + (s >> 1)]!;
        const step = 8 * q;
        for (let r = 8 * s; r < 8 * s + 8; r++) {
          let i = next[r]!;
          for (; i < end; i += step) {
            const at = i - start;
            lpf[at] = q;
            product[at]! *= q;
            odd[at]! ^= 1;
          }
          next[r] = i;
        }
        const squareStep = 8 * q * q;
        for (let r = 8 * s + 8; r < 8 * s + 16; r++) {
          let i = next[r]!;
          for (; i < end; i += squareStep) squareful[i - start] = 1;
          next[r] = i;
        }
      }
      for (let e = start; e < end; e++) {
        const at = e - start;
        const m = coprimeAt(firstIndex + e);
        if (squareful[at] || m === 1) continue;
        // What is left after the factors up to sqrt(to) is 1 or one prime: the largest factor.
        const rest = m / product[at]!;
        if (rest > y) continue;
        entries[e] = lpf[at] === 0 ? PRIME : (lpf[at]! << 1) | (odd[at]! ^ (rest > 1 ? 1 : 0));
      }
    }
  }
}
