// A segmented sieve of Eratosthenes on the mod-30 wheel that leaves exactly the primes above 5,
// span after span in ascending order. The presieve's patterns remove 7 .. 97; larger primes are
// crossed off progression by progression, each going on where it stopped in the last span.
import { take } from './arena';
import { clearOutside, crossProgressions, fillPresieved, PRESIEVED_UP_TO, startProgressions } from './wheel';

/** Bytes of a piece: the L1 cache. */
const PIECE: u32 = 1 << 15;
/** Primes below this cross off a whole span piece by piece (1024 to 4096 measured alike). */
const PIECE_PRIMES_BELOW: u32 = 4096;

@unmanaged
export class PrimeSieve {
  /** Sieving primes above PRESIEVED_UP_TO, ascending (u32). */
  primes: usize;
  count: u32;
  /** Primes [0, active) have their progressions set. */
  active: u32;
  offs: usize;
  bits: usize;
  /** Byte of the next span's first number. */
  byte: u64;
  /** Span length in bytes, a multiple of 8. */
  span: u32;
  high: u64;
  low: u64;
  /** The span sieved last: its first number and words in use. */
  first: u64;
  words: u32;
  seg: usize;
}

/**
 * A sieve of [low, high) in spans of `span` bytes, with `primes` (u32, ascending from 17, covering
 * sqrt(high); those the presieve removes are passed over); low is rounded down to a multiple of
 * 240 for the words, numbers below it cleared.
 */
export function newSieve(primes: usize, count: u32, low: u64, high: u64, span: u32): PrimeSieve {
  while (count > 0 && load<u32>(primes) <= PRESIEVED_UP_TO) {
    primes += 4;
    count--;
  }
  const s = changetype<PrimeSieve>(take(offsetof<PrimeSieve>()));
  s.primes = primes;
  s.count = count;
  s.active = 0;
  s.offs = take(<usize>count << 5);
  s.bits = take(<usize>count << 3);
  s.byte = (low / 240) * 8;
  s.span = span;
  s.low = low;
  s.high = high;
  s.first = 0;
  s.words = 0;
  s.seg = take(span + 16); // fillPresieved writes 16 bytes at a time
  return s;
}

/** Sieves the next span; false once [low, high) is done. */
export function nextSpan(s: PrimeSieve): bool {
  const first = s.byte * 30;
  if (first >= s.high) return false;
  const seg = s.seg;
  const remaining = (s.high - first + 239) / 240;
  const words = <u32>(remaining < <u64>(s.span >> 3) ? remaining : <u64>(s.span >> 3));
  const bytes = words << 3;
  fillPresieved(seg, s.byte, bytes);
  const end = first + 240 * <u64>words;
  const spare = seg + <usize>s.span;
  let b: u32 = 0;
  if (bytes == s.span && s.span > PIECE) {
    // The primes that hit a piece many times cross it off piece by piece, in the L1 cache.
    let small: u32 = 0;
    while (small < s.active && load<u32>(s.primes + (<usize>small << 2)) < PIECE_PRIMES_BELOW) small++;
    for (let piece: u32 = 0; piece < bytes; piece += PIECE) {
      for (let c: u32 = 0; c < small; c++) {
        crossProgressions(seg + <usize>piece, PIECE, PIECE, load<u32>(s.primes + (<usize>c << 2)), s.offs + (<usize>c << 5), s.bits + (<usize>c << 3), spare);
      }
    }
    b = small;
  }
  for (; b < s.active; b++) {
    crossProgressions(seg, bytes, s.span, load<u32>(s.primes + (<usize>b << 2)), s.offs + (<usize>b << 5), s.bits + (<usize>b << 3), spare);
  }
  for (; b < s.count; b++) {
    const p = <u64>load<u32>(s.primes + (<usize>b << 2));
    if (p * p >= end) break;
    startProgressions(p, p, s.byte, s.offs + (<usize>b << 5), s.bits + (<usize>b << 3));
    crossProgressions(seg, bytes, s.span, <u32>p, s.offs + (<usize>b << 5), s.bits + (<usize>b << 3), spare);
  }
  s.active = b;
  clearOutside(seg, words, first, s.low, s.high);
  s.first = first;
  s.words = words;
  s.byte += s.span;
  return true;
}
