/** The odd primes folded into the wheel (with 2, they are the primes phiTiny removes). */
export const WHEEL_PRIMES = [3, 5, 7, 11, 13] as const;
/** 3 * 5 * 7 * 11 * 13: the period of the pattern, in odd numbers and (being odd) in words. */
const PERIOD = 15015;

/**
 * Bit j of word w is set when the odd number 64w + 2j + 1 has no factor among WHEEL_PRIMES.
 * PERIOD words hold 32 whole periods, so any 64-aligned window starts at word (low / 64) % PERIOD.
 */
const pattern: Int32Array = (() => {
  const words = new Int32Array(PERIOD * 2);
  for (let i = 0; i < PERIOD * 32; i++) {
    const n = 2 * i + 1;
    if (WHEEL_PRIMES.every((p) => n % p !== 0)) words[i >>> 5]! |= 1 << (i & 31);
  }
  words.copyWithin(PERIOD, 0, PERIOD); // a doubled copy lets one `set` cover any window
  return words;
})();

/**
 * Fills `words[0 .. count)` with the odd numbers from `low` (a multiple of 64) on that have no
 * factor among WHEEL_PRIMES.
 */
export function fillFromWheel(words: Int32Array, low: number, count: number): void {
  let offset = (low / 64) % PERIOD;
  let done = 0;
  while (done < count) {
    const take = Math.min(count - done, PERIOD);
    words.set(pattern.subarray(offset, offset + take), done);
    done += take;
    offset = (offset + take) % PERIOD;
  }
}

/**
 * Clears the odd multiples of p that are >= first, in the window of `size` odd numbers starting
 * at low.
 */
export function crossOffOddMultiples(
  words: Int32Array,
  low: number,
  size: number,
  p: number,
  first: number,
): void {
  let multiple = Math.max(first, Math.ceil(low / p) * p);
  if (multiple % 2 === 0) multiple += p;
  for (let i = (multiple - low - 1) / 2; i < size; i += p) {
    words[i >>> 5]! &= ~(1 << (i & 31));
  }
}
