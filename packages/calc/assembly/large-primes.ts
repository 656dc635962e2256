// -B for u = x / p in [low, high), a range of [sqrt(x), x / y): minus the sum of pi(x / p) over
// the primes y < p <= sqrt(x) whose x / p falls there, counted from low. Two sieves move in
// step: the primes p descend span by span, so their x / p ascend through the sieve of u.
// As src/prime/large-prime-sum.ts.
import { divu, isqrt, max64, min64 } from './arith';
import { mark, release, take } from './arena';
import { newSieve, nextSpan } from './prime-sieve';
import { crossedUpTo, FIRST_CROSSED, primes } from './tables';
import { clearOutside, fillPattern, RESIDUES, startProgressions, crossProgressions, UP_TO } from './wheel';

/** Span of the sieve of u, in bytes: 128 KiB, in the L2 cache. */
export let largeSpan: u32 = 1 << 17;
/** Span of the sieve of p, in bytes. */
const P_SPAN: u32 = 1 << 14;

/** Results of the last call: primes in [low, high), the local sum, the count of p. */
export let largePrimesCount: u64 = 0;
export let largeLocalSum: u64 = 0;
export let largeTerms: u64 = 0;

export function largePrimes(x: u64, y: u64, low: u64, high: u64): void {
  const scratch = mark();
  const sqrtX = isqrt(x);
  const pTop = min64(sqrtX, x / max64(low, 1)); // p <= pTop
  const pBottom = max64(y, x / high); // p > pBottom
  // Sieving primes of u: from 17 up to sqrt(high) (the tables run past sqrt(x / y)).
  const sieveOfU = newSieve(primes + (<usize>FIRST_CROSSED << 2), crossedUpTo(isqrt(high) + 1), low, high, largeSpan);
  // The prefix counts of the u span: primes below each word.
  const before = take((<usize>(largeSpan >> 3) << 2) + 8);
  const pSeg = take(P_SPAN + 16); // crossProgressions' spare byte
  const pCount = pTop > pBottom ? crossedUpTo(isqrt(pTop) + 1) : 0;
  const pOffs = take((<usize>pCount << 5) + 32);
  const pBits = take((<usize>pCount << 3) + 8);

  let seen: u64 = 0; // primes in [low, the u span)
  let localSum: u64 = 0;
  let terms: u64 = 0;
  let uHigh: u64 = 0; // the u span covers [.., uHigh)
  let uFirst: u64 = 0;
  let uWords: u32 = 0;
  let useful = false;

  // p spans from the top down, each [pFirstByte, pEndByte) in bytes.
  const pLowestByte = (pBottom + 1) / 240 * 8;
  let pEndByte = (pTop + 240) / 240 * 8;
  while (pTop > pBottom && pEndByte > pLowestByte) {
    const pFirstByte = pEndByte - pLowestByte > <u64>P_SPAN ? pEndByte - P_SPAN : pLowestByte;
    const pFirst = pFirstByte * 30;
    const pWords = <u32>((pEndByte - pFirstByte) >> 3);
    const pBytes = pWords << 3;
    fillPattern(pSeg, pFirstByte, pBytes);
    for (let b: u32 = 0; b < pCount; b++) {
      const q = <u64>load<u32>(primes + (<usize>(FIRST_CROSSED + b) << 2));
      const at = pOffs + (<usize>b << 5);
      startProgressions(q, q, pFirstByte, at, pBits + (<usize>b << 3));
      crossProgressions(pSeg, pBytes, pBytes, <u32>q, at, pBits + (<usize>b << 3), pSeg + <usize>P_SPAN);
    }
    if (pFirstByte == 0) store<u8>(pSeg, (load<u8>(pSeg) & 0xfe) | 0x0e);
    clearOutside(pSeg, pWords, pFirst, pBottom + 1, pTop + 1);
    // The p of this span, descending.
    for (let w = <i32>pWords - 1; w >= 0; w--) {
      let bitsLeft = load<u64>(pSeg + (<usize>w << 3));
      while (bitsLeft != 0) {
        const t = 63 - clz<u64>(bitsLeft);
        bitsLeft &= ~((<u64>1) << t);
        const p = pFirst + 240 * <u64>w + 30 * (t >> 3) + <u64>load<u8>(RESIDUES + <usize>(t & 7));
        const u = divu(x, p);
        while (u >= uHigh) {
          if (useful) seen += <u64>load<u32>(before + (<usize>uWords << 2));
          nextSpan(sieveOfU);
          useful = true;
          uFirst = sieveOfU.first;
          uWords = sieveOfU.words;
          uHigh = min64(uFirst + 240 * <u64>uWords, high);
          let c: u32 = 0;
          const seg = sieveOfU.seg;
          for (let v: u32 = 0; v < uWords; v++) {
            store<u32>(before + (<usize>v << 2), c);
            c += <u32>popcnt<u64>(load<u64>(seg + (<usize>v << 3)));
          }
          store<u32>(before + (<usize>uWords << 2), c);
        }
        const o = <u32>(u - uFirst);
        const target = o / 240;
        localSum += seen + <u64>load<u32>(before + (<usize>target << 2)) + popcnt<u64>(load<u64>(sieveOfU.seg + (<usize>target << 3)) & load<u64>(UP_TO + (<usize>(o - target * 240) << 3)));
        terms++;
      }
    }
    pEndByte = pFirstByte;
  }
  // The rest of [low, high): its primes count for the ranges after.
  if (useful) seen += <u64>load<u32>(before + (<usize>uWords << 2));
  while (nextSpan(sieveOfU)) {
    const seg = sieveOfU.seg;
    for (let v: u32 = 0; v < sieveOfU.words; v++) seen += popcnt<u64>(load<u64>(seg + (<usize>v << 3)));
  }
  largePrimesCount = seen;
  largeLocalSum = localSum;
  largeTerms = terms;
  release(scratch);
}
