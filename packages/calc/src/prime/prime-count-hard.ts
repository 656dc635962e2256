import { mobiusTimesLeastFactor } from './mobius-lpf.js';
import { popcount32 } from './popcount.js';
import type { PrimeCountParams } from './prime-count-params.js';
import { primesUpTo } from './sieve.js';
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
  const muLpf = mobiusTimesLeastFactor(y);
  const words = new Int32Array(HARD_SEGMENT >>> 6);
  const blockCounts = new Int32Array(words.length >>> BLOCK_SHIFT);

  for (let segLow = low; segLow < high; segLow += HARD_SEGMENT) {
    const segHigh = Math.min(segLow + HARD_SEGMENT, high);
    const size = (segHigh - segLow) >>> 1; // odd numbers segLow + 2i + 1, i < size
    let alive = presieve(words, blockCounts, segLow, size);

    for (let b = c + 1; b <= bHardMax; b++) {
      const p = primes[b - 1]!;
      const k = b - c - 1;
      // Leaves of p_b with u in [segLow, segHigh) and u >= p^2, in ascending u (descending m).
      let mHigh = Math.min(y, Math.floor(x / (p * p * p)));
      if (segLow > 0) mHigh = Math.min(mHigh, Math.floor(x / (p * segLow)));
      const mLow = Math.max(Math.floor(y / p), Math.floor(x / (p * segHigh)));
      if (mHigh > mLow) {
        let sum = 0;
        let signs = 0;
        let word = 0; // words[0 .. word) are already counted in `seen`
        let seen = 0;
        const before = counts[k]!;
        for (let m = mHigh; m > mLow; m--) {
          const v = muLpf[m]!;
          let sign: number;
          if (v > p) sign = -1;
          else if (v < -p) sign = 1;
          else continue;
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
        leafSums[k]! += sum;
        leafSigns[k]! += signs;
      }
      counts[k]! += alive;
      alive -= crossOff(words, blockCounts, segLow, size, p);
    }
  }
  return { counts, leafSums, leafSigns };
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
