import { isqrt } from './integer-root.js';
import { mobiusTimesLeastFactor } from './mobius-lpf.js';
import { popcount32 } from './popcount.js';
import type { PrimeCountParams } from './prime-count-params.js';
import { primesUpTo } from './sieve.js';
import { countAtMost } from './sorted-search.js';
import { fillFromWheel, WHEEL_PRIMES } from './wheel-pattern.js';

/** Integers sieved at once; a power of two, so a segment's bits stay in the CPU cache. */
export const HARD_SEGMENT = 1 << 18;
/** Words per counter block: counts are kept per 32 * BLOCK_WORDS odd numbers. */
const BLOCK_SHIFT = 4;
const BLOCK_WORDS = 1 << BLOCK_SHIFT;

/**
 * The hard special leaves whose u lies in [low, high), computed without knowing anything about
 * [0, low): for each b, `counts` holds how many integers of [low, high) survive sieving by the
 * first b - 1 primes, `leafSums` the leaves' sum with phi counted from `low`, and `leafSigns` the
 * sum of their signs, so that the true sum is leafSums[b] + leafSigns[b] * phi(low - 1, b - 1).
 * Arrays are indexed by b - c - 1.
 */
export interface HardPartResult {
  readonly counts: number[];
  readonly leafSums: number[];
  readonly leafSigns: number[];
}

/**
 * The special leaves phi(u, b - 1) with p_b^2 <= u, for u in [low, high), found with a segmented
 * sieve that counts survivors per block so each phi(u, b - 1) costs a short scan.
 */
export function computeHardPart(
  params: PrimeCountParams,
  low: number,
  high: number,
): HardPartResult {
  const { x, y, c, bHardMax } = params;
  const bCount = Math.max(0, bHardMax - c);
  const counts = new Array<number>(bCount).fill(0);
  const leafSums = new Array<number>(bCount).fill(0);
  const leafSigns = new Array<number>(bCount).fill(0);
  if (bCount === 0 || low >= high) return { counts, leafSums, leafSigns };
  if (c !== WHEEL_PRIMES.length + 1 || low % 64 !== 0) {
    throw new RangeError(`hard part needs c = ${WHEEL_PRIMES.length + 1} and low % 64 = 0`);
  }

  const primes = primesUpTo(y);
  const leaves = hardLeaves(params, primes);
  // leaves[k][0 .. next[k]) are the leaves of b = c + 1 + k not yet reached (u ascends as m
  // descends); those with u < low belong to earlier chunks.
  const next = new Int32Array(bCount);
  for (let k = 0; k < bCount; k++) {
    const p = primes[c + k]!;
    next[k] = countAtMost(leaves[k]!, low > 0 ? Math.floor(x / (p * low)) : y);
  }
  const words = new Int32Array(HARD_SEGMENT >>> 6);
  const blockCounts = new Int32Array(words.length >>> BLOCK_SHIFT);

  for (let segLow = low; segLow < high; segLow += HARD_SEGMENT) {
    const segHigh = Math.min(segLow + HARD_SEGMENT, high);
    const size = (segHigh - segLow) >>> 1; // odd numbers segLow + 2i + 1, i < size
    let alive = presieve(words, blockCounts, segLow, size);

    for (let b = c + 1; b <= bHardMax; b++) {
      const p = primes[b - 1]!;
      const k = b - c - 1;
      const list = leaves[k]!;
      const mLow = Math.floor(x / (p * segHigh)); // m > mLow <=> u < segHigh
      let i = next[k]!;
      if (i > 0 && Math.abs(list[i - 1]!) > mLow) {
        let sum = 0;
        let signs = 0;
        let word = 0; // words[0 .. word) are already counted in `seen`
        let seen = 0;
        const before = counts[k]!;
        for (; i > 0; i--) {
          const leaf = list[i - 1]!;
          const sign = leaf > 0 ? 1 : -1;
          const m = leaf * sign;
          if (m <= mLow) break;
          const u = Math.floor(x / (p * m));
          const index = (u - segLow - 1) >> 1; // last odd number <= u; -1 when none
          let phi = 0;
          if (index >= 0) {
            const target = index >>> 5;
            while (word < target) {
              if ((word & (BLOCK_WORDS - 1)) === 0 && word + BLOCK_WORDS <= target) {
                seen += blockCounts[word >>> BLOCK_SHIFT]!;
                word += BLOCK_WORDS;
              } else {
                seen += popcount32(words[word]!);
                word++;
              }
            }
            phi = seen + popcount32(words[target]! & (0xffffffff >>> (31 - (index & 31))));
          }
          sum += sign * (before + phi);
          signs += sign;
        }
        next[k] = i;
        leafSums[k]! += sum;
        leafSigns[k]! += signs;
      }
      counts[k]! += alive;
      alive -= crossOff(words, blockCounts, segLow, size, p);
    }
  }
  return { counts, leafSums, leafSigns };
}

/**
 * The hard leaves of each b = c + 1 + k, as leaves[k]: the m with y / p_b < m <= min(y, x / p_b^3),
 * m squarefree with every factor above p_b, ascending, each stored as -mu(m) * m (its sign in S2
 * times m). Built by thinning one candidate pool prime by prime, so no m is inspected per b.
 */
function hardLeaves(params: PrimeCountParams, primes: Uint32Array): Int32Array[] {
  const { x, y, c, bHardMax } = params;
  const muLpf = mobiusTimesLeastFactor(y);
  const sqrtY = isqrt(y);
  const pc = primes[c - 1]!;
  let pool = new Int32Array(y);
  let poolSize = 0;
  for (let m = 2; m <= y; m++) {
    const v = muLpf[m]!;
    if (v > pc || v < -pc) pool[poolSize++] = m;
  }
  const leaves: Int32Array[] = [];
  for (let b = c + 1; b <= bHardMax; b++) {
    const p = primes[b - 1]!;
    const mLow = Math.floor(y / p);
    const mHigh = Math.min(y, Math.floor(x / (p * p * p)));
    if (p <= sqrtY) {
      let kept = 0;
      for (let i = 0; i < poolSize; i++) {
        const m = pool[i]!;
        const v = muLpf[m]!;
        if (v > p || v < -p) pool[kept++] = m;
      }
      poolSize = kept;
      const from = countAtMost(pool.subarray(0, poolSize), mLow);
      const to = Math.max(from, countAtMost(pool.subarray(0, poolSize), mHigh));
      const list = pool.slice(from, to);
      for (let i = 0; i < list.length; i++) list[i] = muLpf[list[i]!]! > 0 ? -list[i]! : list[i]!;
      leaves.push(list);
    } else {
      // Every factor above p > sqrt(y) and m <= y: m is a prime q > p, with sign -mu(q) = +1.
      const from = countAtMost(primes, Math.max(mLow, p));
      const to = Math.max(from, countAtMost(primes, mHigh));
      leaves.push(Int32Array.from(primes.subarray(from, to)));
    }
    if (p > sqrtY) pool = new Int32Array(0);
  }
  return leaves;
}

/** Fills the segment with its odd numbers not divisible by the first c primes; returns how many. */
function presieve(
  words: Int32Array,
  blockCounts: Int32Array,
  segLow: number,
  size: number,
): number {
  const used = (size + 31) >>> 5;
  fillFromWheel(words, segLow, used);
  if (size & 31) words[used - 1]! &= (1 << (size & 31)) - 1;
  words.fill(0, used);
  let alive = 0;
  blockCounts.fill(0);
  for (let w = 0; w < used; w++) {
    const n = popcount32(words[w]!);
    blockCounts[w >>> BLOCK_SHIFT]! += n;
    alive += n;
  }
  return alive;
}

/** Removes the odd multiples of p (p included) from the segment; returns how many were alive. */
function crossOff(
  words: Int32Array,
  blockCounts: Int32Array,
  segLow: number,
  size: number,
  p: number,
): number {
  let multiple = Math.max(p, Math.ceil(segLow / p) * p);
  if (multiple % 2 === 0) multiple += p;
  let removed = 0;
  for (let i = (multiple - segLow - 1) / 2; i < size; i += p) {
    const w = i >>> 5;
    const bit = 1 << (i & 31);
    const value = words[w]!;
    if (value & bit) {
      words[w] = value ^ bit;
      blockCounts[w >>> BLOCK_SHIFT]!--;
      removed++;
    }
  }
  return removed;
}
