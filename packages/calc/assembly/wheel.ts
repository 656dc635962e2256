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

/** The pattern of the numbers coprime to 2 .. 13, PATTERN_PERIOD + MAX_SPAN_BYTES + 16 bytes. */
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
  initPatterns();
  pattern = load<usize>(GROUP_PATTERN);
}

/**
 * The presieve's patterns: each the numbers coprime to 30 with no factor in its group, one
 * period (the group's product, in bytes) plus MAX_SPAN_BYTES + 16. The first, 7 * 11 * 13, is
 * `pattern`, which every sieve starts from; ANDed together they leave the numbers with no prime
 * factor up to PRESIEVED_UP_TO, so a prime sieve crosses off only from the next prime on: the
 * primes 17 .. 97 make about a third of the crossings up to 2^16 (docs/benchmarks.md).
 */
const GROUP_PRIMES: usize = memory.data<u32>([7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]);
const GROUP_PRIME_COUNT: u32 = 22;
/** How many primes of GROUP_PRIMES each pattern takes, in order. */
const GROUP_SIZES: usize = memory.data<u8>([3, 3, 3, 3, 2, 2, 2, 2, 2]);
/** The patterns: fillPresieved reads each by name (a to k), so it changes with this. */
const GROUPS: u32 = 9;
/** Where each group's pattern starts (usize) and its period (u32). */
const GROUP_PATTERN: usize = memory.data(GROUPS * 8, 8);
const GROUP_PERIOD: usize = memory.data(GROUPS * 4, 4);
/** The largest prime the presieve removes. */
export const PRESIEVED_UP_TO: u32 = 97;

function initPatterns(): void {
  let at: u32 = 0;
  for (let g: u32 = 0; g < GROUPS; g++) {
    const size = <u32>load<u8>(GROUP_SIZES + g);
    let period: u32 = 1;
    for (let i: u32 = 0; i < size; i++) period *= load<u32>(GROUP_PRIMES + ((at + i) << 2));
    const total = period + MAX_SPAN_BYTES + 16;
    const bytes = take(total);
    memory.fill(bytes, 0xff, period);
    for (let t: u32 = 0; t < size; t++) {
      const q = load<u32>(GROUP_PRIMES + ((at + t) << 2));
      for (let j = 0; j < 8; j++) {
        // 30 i + r is a multiple of q for i = i0, i0 + q, ...
        const r = <u32>load<u8>(RESIDUES + j);
        let i0: u32 = 0;
        while ((30 * i0 + r) % q != 0) i0++;
        for (let i = i0; i < period; i += q) store<u8>(bytes + i, load<u8>(bytes + i) & ~(<u8>1 << <u8>j));
      }
    }
    // Repeated to the end, doubling what is copied.
    for (let have = period; have < total; have <<= 1) memory.copy(bytes + have, bytes, min<u32>(have, total - have));
    store<usize>(GROUP_PATTERN + (<usize>g << 3), bytes);
    store<u32>(GROUP_PERIOD + (<usize>g << 2), period);
    at += size;
  }
}

/** Where pattern `group` has the byte of the numbers from 30 byte0 on. */
// @ts-ignore: decorator
@inline
function patternAt(group: usize, byte0: u64): usize {
  return load<usize>(GROUP_PATTERN + (group << 3)) + <usize>(byte0 % <u64>load<u32>(GROUP_PERIOD + (group << 2)));
}

/**
 * Fills `bytes` bytes (a multiple of 8, <= MAX_SPAN_BYTES) at `seg` with the numbers from 30 byte0
 * on that have no prime factor up to PRESIEVED_UP_TO; in the span from 0, 7 .. 97 themselves stay.
 */
export function fillPresieved(seg: usize, byte0: u64, bytes: u32): void {
  const a = pattern + <usize>(byte0 % PATTERN_PERIOD);
  const b = patternAt(1, byte0);
  const c = patternAt(2, byte0);
  const d = patternAt(3, byte0);
  const e = patternAt(4, byte0);
  const f = patternAt(5, byte0);
  const g = patternAt(6, byte0);
  const h = patternAt(7, byte0);
  const k = patternAt(8, byte0);
  // 16 bytes at a time; the patterns run 16 bytes past any span, and seg has room for it.
  for (let i: usize = 0; i < <usize>bytes; i += 16) {
    let v = v128.and(v128.load(a + i), v128.load(b + i));
    v = v128.and(v, v128.and(v128.load(c + i), v128.load(d + i)));
    v = v128.and(v, v128.and(v128.load(e + i), v128.load(f + i)));
    v = v128.and(v, v128.and(v128.load(g + i), v128.load(h + i)));
    v128.store(seg + i, v128.and(v, v128.load(k + i)));
  }
  if (byte0 == 0) {
    // The patterns drop 7 .. 97 themselves and keep 1: put them right.
    store<u8>(seg, load<u8>(seg) & 0xfe);
    for (let t: u32 = 0; t < GROUP_PRIME_COUNT; t++) {
      const p = load<u32>(GROUP_PRIMES + (t << 2));
      store<u8>(seg + p / 30, load<u8>(seg + p / 30) | <u8>(1 << load<u8>(BIT_OF + p % 30)));
    }
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

/**
 * Clears the bits of every progression of p in seg[0, bytes); offsets move on by `advance`.
 * `spare` is a byte no one reads. The eight progressions all step p bytes, so while the furthest
 * still fits they go together, eight crossings a step; each then has at most one left, since
 * their offsets lie within p of one another (startProgressions puts each at its first multiple
 * at or after the span's start, and crossing off keeps them so).
 */
// @ts-ignore: decorator
@inline
export function crossProgressions(seg: usize, bytes: u32, advance: u32, p: u32, offs: usize, bits: usize, spare: usize): void {
  const o0 = load<u32>(offs);
  const o1 = load<u32>(offs, 4);
  const o2 = load<u32>(offs, 8);
  const o3 = load<u32>(offs, 12);
  const o4 = load<u32>(offs, 16);
  const o5 = load<u32>(offs, 20);
  const o6 = load<u32>(offs, 24);
  const o7 = load<u32>(offs, 28);
  const furthest = max<u32>(max<u32>(max<u32>(o0, o1), max<u32>(o2, o3)), max<u32>(max<u32>(o4, o5), max<u32>(o6, o7)));
  let t: u32 = 0;
  if (furthest < bytes) {
    const m0 = ~(<u8>1 << load<u8>(bits));
    const m1 = ~(<u8>1 << load<u8>(bits, 1));
    const m2 = ~(<u8>1 << load<u8>(bits, 2));
    const m3 = ~(<u8>1 << load<u8>(bits, 3));
    const m4 = ~(<u8>1 << load<u8>(bits, 4));
    const m5 = ~(<u8>1 << load<u8>(bits, 5));
    const m6 = ~(<u8>1 << load<u8>(bits, 6));
    const m7 = ~(<u8>1 << load<u8>(bits, 7));
    const end = bytes - furthest;
    for (; t < end; t += p) {
      const at = seg + <usize>t;
      store<u8>(at + o0, load<u8>(at + o0) & m0);
      store<u8>(at + o1, load<u8>(at + o1) & m1);
      store<u8>(at + o2, load<u8>(at + o2) & m2);
      store<u8>(at + o3, load<u8>(at + o3) & m3);
      store<u8>(at + o4, load<u8>(at + o4) & m4);
      store<u8>(at + o5, load<u8>(at + o5) & m5);
      store<u8>(at + o6, load<u8>(at + o6) & m6);
      store<u8>(at + o7, load<u8>(at + o7) & m7);
    }
  }
  // Each progression has at most one crossing left: without a branch (which could go either
  // way), a progression already past the end crosses the spare byte instead.
  for (let j = 0; j < 8; j++) {
    const mask = ~(<u8>1 << load<u8>(bits + j));
    const i = load<u32>(offs + (j << 2)) + t;
    const inside = i < bytes;
    const at = inside ? seg + <usize>i : spare;
    store<u8>(at, load<u8>(at) & mask);
    store<u32>(offs + (j << 2), (inside ? i + p : i) - advance);
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
