// The easy special leaves with u = x / (p q) in [low, high) of [0, sqrt(x)): A's (x* < p <=
// x^(1/3)) and C2's (sqrt(z) < p <= x*), C2's clustered leaves counted run by run from the pi
// table, every other pi(u) from a sieve of the span. As src/prime/easy-leaves.ts.
import { divu, icbrt, isqrt, max64, min64 } from './arith';
import { mark, release, take } from './arena';
import { newSieve, nextSpan } from './prime-sieve';
import { crossedUpTo, divByPrime, FIRST_CROSSED, piOf, primeAt, primes, quotientByPrime } from './tables';
import { SMALL_PI, UP_TO } from './wheel';

/** Span bytes: 32 KiB of bits and 16 KiB of counts. */
export let easySpan: u32 = 1 << 15;
/** Whether C2's clustered leaves are counted run by run (else one by one, quicker: docs/benchmarks.md). */
export let clusteredRuns: bool = false;

export let easyPrimes: u64 = 0;
export let easyLocalSum: i64 = 0;
export let easyWeight: i64 = 0;
export let easyConstant: i64 = 0;

/**
 * floor(x / p / primes[i]) from xpf = floor(x / p) as a double, by the inverse of primes[i]: exact
 * while x / p < INVERSE_EXACT_BELOW, and here it is: p > x^(1/4) for A, and p > (x / y)^(1/3) >
 * x^(1/6) for C, so x / p < x^(5/6) <= 5.6 * 10^14 for x <= PRIME_COUNT_MAX_X = 5 * 10^17.
 */
// @ts-ignore: decorator
@inline
function quotient(xpf: f64, i: u32): u64 {
  return quotientByPrime(xpf, i);
}

let first: u64 = 0;
let seg: usize = 0;
let before: usize = 0;

/**
 * Primes of the span in [its low, u], for u >= 7, from its words and `before`, the primes before
 * each word. Every u here is >= 7 (u = x / (p q) >= p > 13), so 2, 3 and 5, which the wheel
 * leaves out, are in `before` from the start. (The span's bases are globals: as locals passed
 * in, the loops measured 7-11% slower.)
 */
// @ts-ignore: decorator
@inline
function localPi(u: u64): i64 {
  const o = <u32>(u - first);
  const target = o / 240;
  return <i64>load<u32>(before + (<usize>target << 2)) + <i64>popcnt<u64>(load<u64>(seg + (<usize>target << 3)) & load<u64>(UP_TO + (<usize>(o - target * 240) << 3)));
}

export function easyLeaves(x: u64, y: u64, z: u64, k: u32, xStar: u64, low: u64, high: u64): void {
  const scratch = mark();
  const x13 = icbrt(x);
  const sieve = newSieve(primes + (<usize>FIRST_CROSSED << 2), crossedUpTo(isqrt(high) + 1), low, high, easySpan);
  before = take(<usize>(easySpan >> 3) << 2);
  seg = sieve.seg;
  let minC2Always = <u32>max64(max64(<u64>k, <u64>piOf(icbrt(x / y))), <u64>piOf(isqrt(z))) + 1;
  let seen: i64 = 0;
  let localSum: i64 = 0;
  let weight: i64 = 0;
  let constant: i64 = 0;
  while (nextSpan(sieve)) {
    first = sieve.first;
    const words = sieve.words;
    const wLow = max64(first, low);
    const wHigh = min64(first + 240 * <u64>words, high);
    // 2, 3 and 5 when the span holds them: they count before every u >= 7.
    let c: u32 = wLow < 6 ? <u32>load<u8>(SMALL_PI + <usize>min64(wHigh - 1, 6)) - <u32>(wLow > 0 ? load<u8>(SMALL_PI + <usize>(wLow - 1)) : 0) : 0;
    for (let v: u32 = 0; v < words; v++) {
      store<u32>(before + (<usize>v << 2), c);
      c += <u32>popcnt<u64>(load<u64>(seg + (<usize>v << 3)));
    }
    const inSpan = <i64>c;
    const xLow = x / max64(wLow, 1);
    const xHigh = x / wHigh;
    let windowSum: i64 = 0;
    let windowWeight: i64 = 0;

    // C2: a leaf needs u < p^2 (p > sqrt(wLow)) and u >= x / (p y) (p > xHigh / y).
    const minC2 = max<u32>(max<u32>(minC2Always, piOf(isqrt(wLow)) + 1), piOf(min64(xHigh / y, xStar)) + 1);
    const maxC2 = piOf(min64(isqrt(xLow), xStar));
    for (let b = minC2; b <= maxC2; b++) {
      const p = primeAt(b);
      const xp = divu(x, p);
      const xpp = divu(xp, p);
      const maxQ = min64(min64(divu(xLow, p), xpp), y);
      const minQ = max64(max64(divu(xHigh, p), divu(xpp, p)), p);
      if (minQ >= maxQ) continue;
      const piMinQ = piOf(minQ);
      const minClustered = min64(maxQ, max64(minQ, isqrt(xp)));
      const xpf = <f64>(<i64>xp);
      const piMinClustered = piOf(minClustered);
      let i = piOf(maxQ);
      if (clusteredRuns) {
        while (i > piMinClustered) {
          // Every q in (x / (p p_{s+1}), q_i] has the same pi(u) = s.
          const s = piOf(divByPrime(xp, xpf, i));
          const iNext = piOf(max64(divByPrime(xp, xpf, s + 1), minClustered));
          constant += (<i64>s - <i64>b + 2) * <i64>(i - iNext);
          i = iNext;
        }
      } else {
        // One by one: the lookups do not wait on each other, as the runs' do.
        let clustered: i64 = 0;
        const count = <i64>(i - piMinClustered);
        for (; i > piMinClustered; i--) clustered += <i64>piOf(quotient(xpf, i));
        constant += clustered + (2 - <i64>b) * count;
      }
      constant += (2 - <i64>b) * <i64>(i - piMinQ);
      windowWeight += <i64>(i - piMinQ);
      for (; i > piMinQ; i--) windowSum += localPi(quotient(xpf, i));
    }

    // A: u >= q > p needs p > x / wHigh^2, and u < x / p^2 needs p^2 < x / wLow.
    const minA = piOf(max64(xStar, min64(xHigh / wHigh, x13))) + 1;
    const maxA = piOf(min64(isqrt(xLow), x13));
    for (let b = minA; b <= maxA; b++) {
      const p = primeAt(b);
      const xp = divu(x, p);
      const sqrtXp = isqrt(xp);
      const xpf = <f64>(<i64>xp);
      const maxQ = min64(divu(xLow, p), sqrtXp);
      let i = piOf(max64(p, min64(divu(xHigh, p), sqrtXp))) + 1;
      const lastOnce = piOf(min64(divu(xp, y), maxQ)); // up to here u >= y
      const last = piOf(maxQ);
      if (lastOnce >= i) windowWeight += <i64>(lastOnce - i + 1);
      for (; i <= lastOnce; i++) windowSum += localPi(quotient(xpf, i));
      if (last >= i) windowWeight += 2 * <i64>(last - i + 1);
      for (; i <= last; i++) windowSum += 2 * localPi(quotient(xpf, i));
    }
    localSum += windowSum + windowWeight * seen;
    weight += windowWeight;
    seen += inSpan;
  }
  easyPrimes = <u64>seen;
  easyLocalSum = localSum;
  easyWeight = weight;
  easyConstant = constant;
  release(scratch);
}
