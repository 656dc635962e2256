import { div } from './exact-division.js';
import { isqrt } from './integer-root.js';
import { coprimeAt, coprimeIndexAtMost } from './leaf-factor-table.js';
import { popcount32 } from './popcount.js';
import type { ReferenceParams } from './prime-count-params.js';
import { hardLeafFactors, primeCountTables } from './prime-count-tables.js';
import { fillFromWheel } from './wheel-pattern.js';

/** Numbers sieved at once: 16 KiB of bits, in the L1 cache. */
const WINDOW = 1 << 18;
/** Counts are kept per 16 words (512 odd numbers), so finding phi(u) scans at most 16 words. */
const BLOCK_SHIFT = 4;
const BLOCK_WORDS = 1 << BLOCK_SHIFT;
/** Leaves gathered (branch-free where possible) before their phi are counted in one pass. */
const BATCH = 256;

/**
 * D restricted to the leaves whose u lies in [low, high), computed without knowing anything
 * about [0, low). For each b = k + 1 + i: counts[i] is how many numbers of [low, high) have no
 * factor among p_1 .. p_{b-1}, leafSums[i] the sum of -mu(m) phi(u, b - 1) over b's leaves with
 * phi counted from low, leafSigns[i] the sum of their -mu(m); the true sum of b's leaves is
 * leafSums[i] + leafSigns[i] * phi(low - 1, b - 1), and those phi come from earlier ranges'
 * counts. Plain data.
 */
export interface HardLeafSum {
  readonly low: number;
  readonly high: number;
  readonly counts: number[];
  readonly leafSums: number[];
  readonly leafSigns: number[];
}

/**
 * The hard special leaves -mu(m) phi(x / (p_b m), b - 1) with u = x / (p_b m) >= p_b^2, m <= z
 * < p_b m, m squarefree with every factor in (p_b, y], for u in [low, high) (low a multiple of
 * 64, high <= x / z): a segmented sieve of [low, high) counts the survivors of p_1 .. p_{b-1}
 * per block, so each phi(u, b - 1) costs a short scan.
 */
export function hardLeafSum(params: ReferenceParams, low: number, high: number): HardLeafSum {
  if (low % 64 !== 0) throw new RangeError(`hard leaves need low % 64 = 0, got ${low}`);
  const { x, y, z, k, xStar } = params;
  const { primes, pi } = primeCountTables(params);
  const piSqrtZ = pi[isqrt(z)]!;
  // A leaf has u < x / p^2 (m > p), so p < sqrt(x / low) for this range and every later one.
  // Primes with no leaf here (p^2 > high) are still sieved: later ranges need their counts.
  const maxB = high > low ? pi[Math.min(isqrt(div(x, Math.max(low, 1))), xStar)]! : 0;
  const bCount = Math.max(0, maxB - k);
  const counts = new Array<number>(bCount).fill(0);
  const leafSums = new Array<number>(bCount).fill(0);
  const leafSigns = new Array<number>(bCount).fill(0);
  if (bCount === 0) return { low, high, counts, leafSums, leafSigns };

  const { entries, firstIndex } = hardLeafFactors(params);
  const survivors = new SurvivorWindow();
  const offsets = new Int32Array(BATCH); // u - wLow of the gathered leaves, ascending
  const signs = new Int32Array(BATCH).fill(1);
  for (let wLow = low; wLow < high; wLow += WINDOW) {
    const wHigh = Math.min(wLow + WINDOW, high);
    const size = (wHigh - wLow) >>> 1; // odd numbers wLow + 2i + 1, i < size
    survivors.presieve(wLow, size);
    const xLow = Math.max(wLow, 1);

    for (let b = k + 1; b <= maxB; b++) {
      const p = primes[b]!;
      const xp = div(x, p);
      const i = b - k - 1;
      survivors.restart();
      let sum = 0;
      let signSum = 0;
      if (b <= piSqrtZ) {
        const maxM = Math.min(div(xp, xLow), z, div(div(xp, p), p));
        // No leaf of this p here; larger p have none either, in this window or any later one.
        if (p >= maxM) break;
        const minM = Math.max(div(xp, wHigh), div(z, p));
        const code = (p << 1) | 1;
        // m descends (u ascends) over the table; a candidate is kept when its entry > code.
        const stop = coprimeIndexAtMost(minM) - firstIndex;
        for (let e = coprimeIndexAtMost(maxM) - firstIndex; e > stop; ) {
          let found = 0;
          for (; e > stop && found < BATCH; e--) {
            offsets[found] = e;
            found += (code - entries[e]!) >>> 31;
          }
          for (let j = 0; j < found; j++) {
            const index = offsets[j]!;
            const sign = ((entries[index]! & 1) << 1) - 1;
            signs[j] = sign;
            signSum += sign;
            offsets[j] = div(xp, coprimeAt(firstIndex + index)) - wLow;
          }
          sum += survivors.sumUpTo(offsets, signs, found);
        }
        signs.fill(1);
      } else {
        // m is a prime q in (p, y]: sign +1.
        let l = pi[Math.min(div(xp, xLow), y, div(div(xp, p), p))]!;
        if (p >= primes[l]!) break;
        const minQ = Math.max(div(xp, wHigh), p);
        while (primes[l]! > minQ) {
          let found = 0;
          for (; found < BATCH && primes[l]! > minQ; l--)
            offsets[found++] = div(xp, primes[l]!) - wLow;
          signSum += found;
          sum += survivors.sumUpTo(offsets, signs, found);
        }
      }
      leafSums[i]! += sum + signSum * counts[i]!;
      leafSigns[i]! += signSum;
      counts[i]! += survivors.alive;
      survivors.crossOff(wLow, size, p);
    }
  }
  return { low, high, counts, leafSums, leafSigns };
}

/**
 * The window's survivors: bits with a count per block of words that crossing off keeps
 * current, and a cursor that counts up to ascending offsets for one b, each count going on from
 * where the previous one stopped, whole blocks at a time.
 */
class SurvivorWindow {
  private readonly words = new Int32Array(WINDOW >>> 6);
  private readonly blockCounts = new Int32Array(this.words.length >>> BLOCK_SHIFT);
  /** Survivors in all, for the window's current state. */
  alive = 0;
  /** Cursor: words[0 .. word) hold `seen` survivors. */
  private word = 0;
  private seen = 0;

  /** Fills the window with its `size` odd numbers from wLow that have no factor among 3..13. */
  presieve(wLow: number, size: number): void {
    const { words, blockCounts } = this;
    const used = (size + 31) >>> 5;
    fillFromWheel(words, wLow, used);
    if (size & 31) words[used - 1]! &= (1 << (size & 31)) - 1;
    words.fill(0, used);
    blockCounts.fill(0);
    let alive = 0;
    for (let w = 0; w < used; w++) {
      const n = popcount32(words[w]!);
      blockCounts[w >>> BLOCK_SHIFT]! += n;
      alive += n;
    }
    this.alive = alive;
  }

  /** Removes the odd multiples of p (p included) of the window [wLow, wLow + 2 size). */
  crossOff(wLow: number, size: number, p: number): void {
    const { words, blockCounts } = this;
    let multiple = Math.max(p, Math.ceil(wLow / p) * p);
    if ((multiple & 1) === 0) multiple += p;
    let removed = 0;
    // Branch-free: whether the bit was still set is as good as random, so a branch would mispredict.
    for (let i = (multiple - wLow - 1) / 2; i < size; i += p) {
      const w = i >>> 5;
      const shift = i & 31;
      const value = words[w]!;
      const alive = (value >>> shift) & 1;
      words[w] = value & ~(1 << shift);
      blockCounts[w >>> BLOCK_SHIFT]! -= alive;
      removed += alive;
    }
    this.alive -= removed;
  }

  /** Starts counting from the window's first number. */
  restart(): void {
    this.word = 0;
    this.seen = 0;
  }

  /**
   * The sum of signs[j] times the survivors up to window offset offsets[j] (u - wLow), for
   * j < n, the offsets ascending since restart().
   */
  sumUpTo(offsets: Int32Array, signs: Int32Array, n: number): number {
    const { words, blockCounts } = this;
    let word = this.word;
    let seen = this.seen;
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const index = (offsets[j]! - 1) >> 1; // the largest odd number <= u; -1 when u = wLow
      if (index < 0) continue;
      const target = index >>> 5;
      if (word >>> BLOCK_SHIFT < target >>> BLOCK_SHIFT) {
        for (; word & (BLOCK_WORDS - 1); word++) seen += popcount32(words[word]!);
        for (; word >>> BLOCK_SHIFT < target >>> BLOCK_SHIFT; word += BLOCK_WORDS) {
          seen += blockCounts[word >>> BLOCK_SHIFT]!;
        }
      }
      for (; word < target; word++) seen += popcount32(words[word]!);
      const phi = seen + popcount32(words[target]! & (0xffffffff >>> (31 - (index & 31))));
      sum += signs[j]! * phi;
    }
    this.word = word;
    this.seen = seen;
    return sum;
  }
}
