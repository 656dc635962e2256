// The walk from x to the nth prime: a window [low, high) sieved whole, its sieving primes up to
// sqrt(high) made on the way by a segmented sieve (at n = 10^16 that is 3 * 10^7 primes, none
// kept), so the walk needs no table.
import { isqrt } from './arith';
import { mark, release, take } from './arena';
import { newSieve, nextSpan } from './prime-sieve';
import { BIT_OF, clearOutside, fillPattern, RESIDUES, startProgressions } from './wheel';

let window: usize = 0;
let windowWords: u32 = 0;
let windowFirst: u64 = 0;
let windowMark: usize = 0;

/** Primes up to `limit` from 17 on (u32), by a plain odd sieve; returns the count. */
function rootPrimes(limit: u32, out: usize): u32 {
  const size = (limit >> 1) + 1;
  const composite = take(size);
  memory.fill(composite, 0, size);
  let count: u32 = 0;
  for (let i: u32 = 1; i < size; i++) {
    if (load<u8>(composite + i)) continue;
    const p: u32 = 2 * i + 1;
    if (p > limit) break;
    if (p >= 17) {
      store<u32>(out + (<usize>count << 2), p);
      count++;
    }
    for (let j = (<u64>p * p) >> 1; j < <u64>size; j += p) store<u8>(composite + <usize>j, 1);
  }
  return count;
}

/**
 * Sieves [low, high) (low >= 17) and returns how many primes it holds; nthInWindow then finds
 * them. The window stays until the next call.
 */
export function sieveWindow(low: u64, high: u64): u64 {
  if (windowMark != 0) release(windowMark);
  windowMark = mark();
  const byte0 = (low / 240) * 8;
  windowFirst = byte0 * 30;
  const words = <u32>((high - windowFirst + 239) / 240);
  windowWords = words;
  const bytes = <usize>words << 3;
  window = take(bytes);
  for (let done: usize = 0; done < bytes; done += 1 << 18) {
    const n = bytes - done < 1 << 18 ? bytes - done : 1 << 18;
    fillPattern(window + done, byte0 + done, <u32>n);
  }
  const root = isqrt(high - 1);
  const fourth = <u32>isqrt(root) + 1;
  const small = take((<usize>fourth << 1) + 64);
  const smallCount = rootPrimes(fourth, small);
  const offs = take(32);
  const bits = take(8);
  const end = windowFirst + 240 * <u64>words;
  // Below this a prime has more than about four multiples coprime to 30 in the window.
  const small30 = (end - windowFirst) / 16;
  // The sieving primes from 17 to sqrt(high), made span by span.
  const sieve = newSieve(small, smallCount, 0, root + 1, 1 << 15);
  while (nextSpan(sieve)) {
    const seg = sieve.seg;
    for (let w: u32 = 0; w < sieve.words; w++) {
      let rest = load<u64>(seg + (<usize>w << 3));
      const number0 = sieve.first + 240 * <u64>w;
      while (rest != 0) {
        const t = ctz<u64>(rest);
        rest &= rest - 1;
        const p = number0 + 30 * (t >> 3) + <u64>load<u8>(RESIDUES + <usize>(t & 7));
        if (p < 17) continue;
        if (p < small30) {
          // Many multiples: the eight progressions, a store each.
          startProgressions(p, p, byte0, offs, bits);
          for (let j = 0; j < 8; j++) {
            const mask = ~(<u8>1 << load<u8>(bits + j));
            for (let i = <u64>load<u32>(offs + (j << 2)); i < <u64>bytes; i += p) {
              store<u8>(window + <usize>i, load<u8>(window + <usize>i) & mask);
            }
          }
        } else {
          // A few multiples k p at most: one division finds the first, k steps over those
          // coprime to 30 (any k p below p^2 has a smaller factor and is crossed off anyway).
          for (let k = (windowFirst + p - 1) / p; k * p < end; k++) {
            const bit = load<u8>(BIT_OF + <usize>(k % 30));
            if (bit == 255) continue;
            const at = (k * p - windowFirst) / 30;
            const mask = ~(<u8>1 << load<u8>(BIT_OF + <usize>((k * p) % 30)));
            store<u8>(window + <usize>at, load<u8>(window + <usize>at) & mask);
          }
        }
      }
    }
  }
  clearOutside(window, words, windowFirst, low, high);
  let count: u64 = 0;
  for (let w: u32 = 0; w < words; w++) count += popcnt<u64>(load<u64>(window + (<usize>w << 3)));
  return count;
}

/** The kth prime (k >= 1) of the window. */
export function nthInWindow(k: u64): u64 {
  let left = k;
  for (let w: u32 = 0; w < windowWords; w++) {
    let bits = load<u64>(window + (<usize>w << 3));
    const c = popcnt<u64>(bits);
    if (c < left) {
      left -= c;
      continue;
    }
    for (; left > 1; left--) bits &= bits - 1;
    const t = ctz<u64>(bits);
    return windowFirst + 240 * <u64>w + 30 * (t >> 3) + <u64>load<u8>(RESIDUES + <usize>(t & 7));
  }
  return 0;
}

/** Drops the window. */
export function dropWindow(): void {
  if (windowMark != 0) release(windowMark);
  windowMark = 0;
}
