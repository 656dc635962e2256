/**
 * The odd primes above the wheel whose multiples are removed by ANDing a repeating pattern
 * rather than crossed off one by one: ANDing costs one operation per 64 numbers for a whole
 * group, crossing off one per 2p numbers per prime, so patterns win up to about p = 200.
 * Each group's product is its pattern's period in words.
 */
const GROUPS = [
  [17, 19, 23],
  [29, 31, 37],
  [41, 43],
  [47, 53],
  [59, 61],
  [67, 71],
  [73, 79],
  [83, 89],
  [97, 101],
  [103, 107],
  [109, 113],
] as const;

/** The largest prime a pattern removes; crossing off starts above it. */
export const PATTERN_PRIMES_MAX = 113;
/** The primes the patterns remove, ascending. */
export const PATTERN_PRIMES: readonly number[] = GROUPS.flat();

/** Longest window ANDed without wrapping around a pattern, in words. */
const UNWRAPPED_WORDS = 1 << 13;

interface OddPattern {
  readonly period: number;
  /** Bit j of word w is set when 64w + 2j + 1 has no factor in the group; period + UNWRAPPED_WORDS words. */
  readonly words: Int32Array;
}

let patterns: readonly OddPattern[] | undefined;

function buildPatterns(): readonly OddPattern[] {
  return GROUPS.map((group) => {
    const period = group.reduce((product: number, p: number) => product * p, 1);
    const words = new Int32Array(period + UNWRAPPED_WORDS).fill(-1);
    const bits = words.length * 32;
    for (const p of group) {
      // Odd multiples of p: 2i + 1 = p (2j + 1), i = p j + (p - 1) / 2.
      for (let i = (p - 1) / 2; i < bits; i += p) words[i >>> 5]! &= ~(1 << (i & 31));
    }
    return { period, words };
  });
}

/** ANDs every pattern into words[0 .. count), the odd numbers from base (a multiple of 64) on. */
export function applyPatterns(words: Int32Array, base: number, count: number): void {
  patterns ??= buildPatterns();
  for (const { period, words: pattern } of patterns) {
    let offset = (base / 64) % period;
    for (let done = 0; done < count; ) {
      const take = Math.min(count - done, UNWRAPPED_WORDS);
      for (let w = 0; w < take; w++) words[done + w]! &= pattern[offset + w]!;
      done += take;
      offset = (offset + take) % period;
    }
  }
}
