// The mod-30 wheel: one byte per 30 numbers, bit j standing for 30 i + RESIDUES[j]. A u64 word
// covers 240 numbers; popcnt counts them.
import { take } from './arena';

/** The residues mod 30 coprime to 30, by bit. */
export const RESIDUES: usize = memory.data<u8>([1, 7, 11, 13, 17, 19, 23, 29]);
/** BIT_OF[r]: the bit of residue r mod 30, or 255 when r shares a factor with 30. */
export const BIT_OF: usize = memory.data(30);
/** AT_MOST[r]: how many residues are <= r. */
const AT_MOST: usize = memory.data(30);
/** UP_TO[r] (u64): the bits of a word for the numbers at offsets 0 .. r of its 240. */
export const UP_TO: usize = memory.data(240 * 8, 8);
/** pi(u) for u < 7. */
export const SMALL_PI: usize = memory.data<u8>([0, 0, 1, 2, 2, 3, 3]);
/** Bytes per period of the 7 * 11 * 13 pattern. */
export const PATTERN_PERIOD: u32 = 1001;
/** Longest span, in bytes, one pattern copy covers. */
export const MAX_SPAN_BYTES: u32 = 1 << 18;

/** The pattern of the numbers coprime to 2 .. 13, PATTERN_PERIOD + MAX_SPAN_BYTES bytes. */
export let pattern: usize = 0;

export function initWheel(): void {
  for (let r = 0; r < 30; r++) store<u8>(BIT_OF + r, 255);
  let count = 0;
  for (let r = 0; r < 30; r++) {
    for (let j = 0; j < 8; j++) {
      if (<i32>load<u8>(RESIDUES + j) == r) {
        store<u8>(BIT_OF + r, <u8>j);
        count++;
      }
    }
    store<u8>(AT_MOST + r, <u8>count);
  }
  let mask: u64 = 0;
  for (let t = 0; t < 240; t++) {
    const bit = load<u8>(BIT_OF + (t % 30));
    if (bit != 255) mask |= (<u64>1) << (<u64>(8 * (t / 30) + bit));
    store<u64>(UP_TO + (<usize>t << 3), mask);
  }
  const size = PATTERN_PERIOD + MAX_SPAN_BYTES;
  pattern = take(size);
  for (let i: u32 = 0; i < PATTERN_PERIOD; i++) {
    let byte: u32 = 0;
    for (let j = 0; j < 8; j++) {
      const n = 30 * i + load<u8>(RESIDUES + j);
      if (n % 7 != 0 && n % 11 != 0 && n % 13 != 0) byte |= 1 << j;
    }
    store<u8>(pattern + i, <u8>byte);
  }
  for (let i: u32 = PATTERN_PERIOD; i < size; i++) {
    store<u8>(pattern + i, load<u8>(pattern + i - PATTERN_PERIOD));
  }
}

/** The number coprime to 30 with index e (index 0 is 1, index 1 is 7, ...). */
// @ts-ignore: decorator
@inline
export function coprimeAt(e: u64): u64 {
  return 30 * (e >> 3) + <u64>load<u8>(RESIDUES + <usize>(e & 7));
}

/** Index of the largest number coprime to 30 that is <= v, or -1. */
// @ts-ignore: decorator
@inline
export function coprimeIndexAtMost(v: u64): i64 {
  const q = v / 30;
  return <i64>(8 * q) + <i64>load<u8>(AT_MOST + <usize>(v - 30 * q)) - 1;
}

/**
 * Fills `bytes` bytes at `seg` with the numbers from 30 byte0 on that have no factor 2 .. 13
 * (bytes <= MAX_SPAN_BYTES).
 */
export function fillPattern(seg: usize, byte0: u64, bytes: u32): void {
  memory.copy(seg, pattern + <usize>(byte0 % PATTERN_PERIOD), bytes);
}

/**
 * Sets the 8 progressions of the multiples p m of p with m coprime to 30 and m >= mStart: for
 * m = 30 a + RESIDUES[j], p m sits in byte p a + floor(p RESIDUES[j] / 30) at a fixed bit. Writes
 * each progression's first byte at or after byte0, relative to it (u32), at offs + 4 j, and its
 * bit at bits + j.
 */
export function startProgressions(p: u64, mStart: u64, byte0: u64, offs: usize, bits: usize): void {
  const whole = byte0 / p;
  const rest = byte0 - whole * p;
  for (let j = 0; j < 8; j++) {
    const r = <u64>load<u8>(RESIDUES + j);
    const pr = p * r;
    const c = pr / 30;
    let a = c >= rest ? whole : whole + 1;
    const aMin = mStart > r ? (mStart - r + 29) / 30 : 0;
    if (a < aMin) a = aMin;
    store<u32>(offs + (j << 2), <u32>(p * a + c - byte0));
    store<u8>(bits + j, load<u8>(BIT_OF + <usize>(pr - 30 * c)));
  }
}

/** Clears the bits of every progression of p in seg[0, bytes); offsets move on by `advance`. */
// @ts-ignore: decorator
@inline
export function crossProgressions(seg: usize, bytes: u32, advance: u32, p: u32, offs: usize, bits: usize): void {
  for (let j = 0; j < 8; j++) {
    const mask = ~(<u8>1 << load<u8>(bits + j));
    let i = load<u32>(offs + (j << 2));
    for (; i < bytes; i += p) store<u8>(seg + i, load<u8>(seg + i) & mask);
    store<u32>(offs + (j << 2), i - advance);
  }
}

/**
 * Clears, in the words of a span whose first number is `first` (a multiple of 240), the bits of
 * numbers below `low` and at or above `high`; `words` words are in use.
 */
export function clearOutside(seg: usize, words: u32, first: u64, low: u64, high: u64): void {
  if (low > first) {
    const o = low - first;
    const w = <u32>(o / 240);
    for (let i: u32 = 0; i < w && i < words; i++) store<u64>(seg + (<usize>i << 3), 0);
    const r = <u32>(o - 240 * <u64>w);
    if (r > 0 && w < words) {
      const at = seg + (<usize>w << 3);
      store<u64>(at, load<u64>(at) & ~load<u64>(UP_TO + (<usize>(r - 1) << 3)));
    }
  }
  const end = first + 240 * <u64>words;
  if (high < end) {
    const o = high > first ? high - first : 0;
    const w = <u32>(o / 240);
    const r = <u32>(o - 240 * <u64>w);
    let from = w;
    if (r > 0) {
      const at = seg + (<usize>w << 3);
      store<u64>(at, load<u64>(at) & load<u64>(UP_TO + (<usize>(r - 1) << 3)));
      from = w + 1;
    }
    for (let i = from; i < words; i++) store<u64>(seg + (<usize>i << 3), 0);
  }
}
