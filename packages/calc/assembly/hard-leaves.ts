// D, the hard special leaves -mu(m) phi(x / (p_b m), b - 1), for u = x / (p_b m) in [low, high):
// a segmented sieve of [low, high) on the mod-30 wheel removes p_1 .. p_{b-1} one prime at a
// time, keeping a count per block of words, so each phi is a few popcnts from a cursor that moves
// up with u. As src/prime/hard-leaves.ts, whose results it reproduces.
import { divu, isqrt, min64, max64 } from './arith';
import { mark, release, take, takeZeroed } from './arena';
import { factors, mInverses } from './leaf-factors';
import { INVERSE_EXACT_BELOW, piOf, primeAt, quotientByPrime } from './tables';
import { clearOutside, coprimeAt, coprimeIndexAtMost, crossProgressions, fillPattern, startProgressions, UP_TO } from './wheel';

/** Span bytes (30 numbers each): 32 KiB, the L1 cache. */
export let hardSpan: u32 = 1 << 15;
/**
 * Words per counter block, as a shift: 4, which phiAt's fixed sequence assumes (4 beat 8 by a
 * few %, and 2 by 5%).
 */
const BLOCK_SHIFT: u32 = 2;
/**
 * Primes below this are crossed off without counting, and the blocks counted again after (64 to
 * 256 measured alike, docs/benchmarks.md).
 */
const RECOUNT_BELOW: u32 = 128;

/** FULL[8 j + i] (u64): all ones when i < j, else 0: the whole words of a block before word j. */
const FULL: usize = memory.data(64 * 8, 8);
let fullReady = false;

/**
 * phi of the number at offset o of the span: the survivors of the blocks before its block (the
 * prefix), of the whole words before its word in the block, and of its word up to it. A fixed
 * sequence with no branch: which word a leaf falls in is as good as random.
 */
// @ts-ignore: decorator
@inline
function phiAt(seg: usize, prefix: usize, o: u32): u64 {
  const target = o / 240;
  const block = target >> 2;
  const j = target & 3;
  const at = seg + (<usize>block << 5);
  const full = FULL + (<usize>j << 6);
  let count = <u64>load<u32>(prefix + (<usize>block << 2));
  count += popcnt<u64>(load<u64>(at + (<usize>j << 3)) & load<u64>(UP_TO + (<usize>(o - target * 240) << 3)));
  count += popcnt<u64>(load<u64>(at) & load<u64>(full));
  count += popcnt<u64>(load<u64>(at, 8) & load<u64>(full, 8));
  count += popcnt<u64>(load<u64>(at, 16) & load<u64>(full, 16));
  count += popcnt<u64>(load<u64>(at, 24) & load<u64>(full, 24));
  return count;
}

/** Counts the survivors of each block of the span's `words` words into `blocks`; returns their sum. */
function countBlocks(seg: usize, blocks: usize, words: u32): u64 {
  let alive: u64 = 0;
  const whole = words >> BLOCK_SHIFT;
  for (let g: u32 = 0; g < whole; g++) {
    const at = seg + (<usize>g << 5);
    const c = <u32>(popcnt<u64>(load<u64>(at)) + popcnt<u64>(load<u64>(at, 8)) + popcnt<u64>(load<u64>(at, 16)) + popcnt<u64>(load<u64>(at, 24)));
    store<u32>(blocks + (<usize>g << 2), c);
    alive += c;
  }
  if (whole << BLOCK_SHIFT < words) {
    let c: u32 = 0;
    for (let w = whole << BLOCK_SHIFT; w < words; w++) c += <u32>popcnt<u64>(load<u64>(seg + (<usize>w << 3)));
    store<u32>(blocks + (<usize>whole << 2), c);
    alive += c;
  }
  return alive;
}

/**
 * The prefix sums of the block counts: survivors before each block. Four blocks at a time (it runs
 * once per prime and span with leaves, over every block: a third of the hard leaves' time as a
 * plain loop); writes up to three entries past `count`, which `prefix` has room for.
 */
// @ts-ignore: decorator
@inline
function fillPrefix(blocks: usize, prefix: usize, count: u32): void {
  const zero = i32x4.splat(0);
  let carry = zero;
  for (let g: u32 = 0; g < count; g += 4) {
    const v = v128.load(blocks + (<usize>g << 2));
    // [0, v0, v1, v2], then [0, v0, v0 + v1, v1 + v2], then [0, v0, v0 + v1, v0 + v1 + v2].
    let s = i8x16.shuffle(zero, v, 0, 1, 2, 3, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27);
    s = i32x4.add(s, i8x16.shuffle(zero, s, 0, 1, 2, 3, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27));
    s = i32x4.add(s, i8x16.shuffle(zero, s, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
    v128.store(prefix + (<usize>g << 2), i32x4.add(s, carry));
    const total = i32x4.add(s, v);
    carry = i32x4.add(carry, i8x16.shuffle(total, total, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15, 12, 13, 14, 15));
  }
}

/** Leaves gathered at once: a multiple of 8. */
const BATCH: u32 = 256;
const LANES: v128 = i16x8(0, 1, 2, 3, 4, 5, 6, 7);
const LOW_LANES: v128 = i32x4(0, 1, 2, 3);
const HIGH_LANES: v128 = i32x4(4, 5, 6, 7);
/** A prime's entry in the factor table, in every lane. */
const primeEntries: v128 = i16x8.splat(-1);
/**
 * PACK[m] (16 bytes): the i8x16.swizzle that moves the u32 lanes whose bit is set in m (4 bits)
 * to the front, in order.
 */
const PACK: usize = memory.data(16 * 16, 16);

/** v clamped to [-1, 7]: a lane bound for eight lanes. */
// @ts-ignore: decorator
@inline
function clamp64(v: i64): i64 {
  return v < -1 ? -1 : v > 7 ? 7 : v;
}

/** Set before a call: the number of b the last call returned. */
export let hardCount: u32 = 0;

/**
 * Writes, per b = k + 1 + i < maxB: counts[i] (u64), leafSums[i] (i64), leafSigns[i] (i64), as three
 * arrays one after the other; returns where (hardCount holds how many b).
 */
export function hardLeaves(x: u64, y: u64, z: u64, k: u32, xStar: u64, low: u64, high: u64, out: usize): void {
  const piSqrtZ = piOf(isqrt(z));
  const maxB: u32 = high > low ? piOf(min64(isqrt(x / max64(low, 1)), xStar)) : 0;
  const bCount: u32 = maxB > k ? maxB - k : 0;
  hardCount = bCount;
  const counts = out;
  const sums = out + (<usize>bCount << 3);
  const signs = out + (<usize>bCount << 4);
  memory.fill(out, 0, <usize>bCount * 24);
  if (bCount == 0) return;
  const scratch = mark();
  const span = hardSpan;
  const shift = BLOCK_SHIFT;
  if (!fullReady) {
    for (let j = 0; j < 8; j++) {
      for (let i = 0; i < 8; i++) store<u64>(FULL + (<usize>(8 * j + i) << 3), i < j ? ~(<u64>0) : 0);
    }
    for (let m: u32 = 0; m < 16; m++) {
      let to: u32 = 0;
      for (let lane: u32 = 0; lane < 4; lane++) {
        if ((m >> lane) & 1) {
          for (let b: u32 = 0; b < 4; b++) store<u8>(PACK + (m << 4) + (to << 2) + b, <u8>(4 * lane + b));
          to++;
        }
      }
      for (; to < 4; to++) for (let b: u32 = 0; b < 4; b++) store<u8>(PACK + (m << 4) + (to << 2) + b, 0x80);
    }
    fullReady = true;
  }
  const seg = take(span + 16); // crossProgressions' spare byte
  // Both with room for fillPrefix's four at a time.
  const blocks = takeZeroed((<usize>((span >> 3) >> shift) << 2) + 16);
  const prefix = take((<usize>((span >> 3) >> shift) << 2) + 16);
  const offs = take(<usize>bCount << 5);
  const gathered = take(<usize>(BATCH + 8) << 2); // the packing stores 4 lanes at a time
  const bits = take(<usize>bCount << 3);
  let byte = (low / 240) * 8;
  for (let b = k + 1; b <= maxB; b++) {
    const i = <usize>(b - k - 1);
    startProgressions(primeAt(b), 1, byte, offs + (i << 5), bits + (i << 3));
  }
  let liveB = maxB;
  for (; ; byte += span) {
    const first = byte * 30;
    if (first >= high) break;
    const remaining = (high - first + 239) / 240;
    const words = <u32>min64(remaining, <u64>(span >> 3));
    const bytes = words << 3;
    fillPattern(seg, byte, bytes);
    clearOutside(seg, words, first, low, high);
    const sLow = max64(first, low);
    const sHigh = min64(first + 240 * <u64>words, high);
    const blockCount = (words + (1 << shift) - 1) >> shift;
    let alive = countBlocks(seg, blocks, words);
    const xLow = max64(sLow, 1);
    for (let b = k + 1; b <= liveB; b++) {
      const p = primeAt(b);
      const xp = divu(x, p);
      const i = <usize>(b - k - 1);
      let sum: i64 = 0;
      let signSum: i64 = 0;
      let prefixReady = false;
      if (b <= piSqrtZ) {
        const maxM = min64(min64(divu(xp, xLow), z), divu(divu(xp, p), p));
        // No leaf of this p here; larger p have none either, here or in any later span.
        if (p >= maxM) {
          liveB = b - 1;
          break;
        }
        const minM = max64(divu(xp, sHigh), z / p);
        const code = <u32>((p << 1) | 1);
        // x / p / m as a multiplication where that is exact (tables.ts, quotientByPrime).
        const byInverse = xp < INVERSE_EXACT_BELOW;
        const xpf = <f64>(<i64>xp);
        const stop = coprimeIndexAtMost(minM);
        const codes = i16x8.splat(<i16>code);
        // Primes above y are not leaves' m: their entries (0xffff) pass only up to lastY.
        const lastY = coprimeIndexAtMost(y);
        // Gathered branch-free first: whether an entry is a leaf is as good as random.
        for (let e = coprimeIndexAtMost(maxM); e > stop; ) {
          let found: u32 = 0;
          const batchEnd = e - <i64>BATCH > stop ? e - <i64>BATCH : stop;
          // Eight entries at a time, [e - 7, e]: a lane passes when its entry is above code,
          // is not a prime's or is at most lastY, and lies above batchEnd; the indices of the
          // lanes that pass are packed to the front of each half and stored.
          for (; e > batchEnd; e -= 8) {
            const lowE = e - 7;
            const entries = v128.load(factors + (<usize>lowE << 1));
            const primeOk = i16x8.le_s(LANES, i16x8.splat(<i16>clamp64(lastY - lowE)));
            let pass = v128.and(i16x8.gt_u(entries, codes), v128.or(v128.not(i16x8.eq(entries, primeEntries)), primeOk));
            pass = v128.and(pass, i16x8.gt_s(LANES, i16x8.splat(<i16>clamp64(batchEnd - lowE))));
            const mask = i16x8.bitmask(pass);
            const base = i32x4.splat(<i32>lowE);
            v128.store(gathered + (<usize>found << 2), i8x16.swizzle(i32x4.add(base, LOW_LANES), v128.load(PACK + (<usize>(mask & 15) << 4))));
            found += popcnt<u32>(mask & 15);
            v128.store(gathered + (<usize>found << 2), i8x16.swizzle(i32x4.add(base, HIGH_LANES), v128.load(PACK + (<usize>(mask >> 4) << 4))));
            found += popcnt<u32>(mask >> 4);
          }
          if (found > 0 && !prefixReady) {
            fillPrefix(blocks, prefix, blockCount);
            prefixReady = true;
          }
          for (let j: u32 = 0; j < found; j++) {
            const index = <u64>load<u32>(gathered + (<usize>j << 2));
            const sign = (<i64>(load<u16>(factors + (<usize>index << 1)) & 1) << 1) - 1;
            const u = byInverse ? <u64>(xpf * load<f64>(mInverses + (<usize>index << 3))) : divu(xp, coprimeAt(index));
            const phi = <i64>phiAt(seg, prefix, <u32>(u - first));
            sum += sign * phi;
            signSum += sign;
          }
        }
      } else {
        // m is a prime q in (p, y]: sign +1.
        let l = piOf(min64(min64(divu(xp, xLow), y), divu(divu(xp, p), p)));
        if (p >= primeAt(l)) {
          liveB = b - 1;
          break;
        }
        const minQ = max64(divu(xp, sHigh), p);
        // p > sqrt(z) > x^(1/6): x / p < x^(5/6) < INVERSE_EXACT_BELOW (see easy-leaves.ts).
        const xpf = <f64>(<i64>xp);
        if (primeAt(l) > minQ) fillPrefix(blocks, prefix, blockCount);
        for (; primeAt(l) > minQ; l--) {
          const u = quotientByPrime(xpf, l);
          sum += <i64>phiAt(seg, prefix, <u32>(u - first));
          signSum++;
        }
      }
      const before = load<u64>(counts + (i << 3));
      store<i64>(sums + (i << 3), load<i64>(sums + (i << 3)) + sum + signSum * <i64>before);
      store<i64>(signs + (i << 3), load<i64>(signs + (i << 3)) + signSum);
      store<u64>(counts + (i << 3), before + alive);
      const pb = <u32>p;
      const po = offs + (i << 5);
      const pbits = bits + (i << 3);
      if (pb < RECOUNT_BELOW) {
        // A small p hits most blocks, several times: crossing it off plainly and counting the
        // blocks again costs less than keeping each count on each hit.
        crossProgressions(seg, bytes, span, pb, po, pbits, seg + <usize>span);
        alive = countBlocks(seg, blocks, words);
        continue;
      }
      // Cross p off, keeping the block counts.
      let removed: u32 = 0;
      for (let j = 0; j < 8; j++) {
        const bit = <u32>load<u8>(pbits + j);
        const mask = ~(<u32>1 << bit);
        let at = load<u32>(po + (<usize>j << 2));
        for (; at < bytes; at += pb) {
          const v = <u32>load<u8>(seg + at);
          const was = (v >> bit) & 1;
          store<u8>(seg + at, <u8>(v & mask));
          const g = blocks + (<usize>(at >> (shift + 3)) << 2);
          store<u32>(g, load<u32>(g) - was);
          removed += was;
        }
        store<u32>(po + (<usize>j << 2), at - span);
      }
      alive -= removed;
    }
  }
  release(scratch);
}
