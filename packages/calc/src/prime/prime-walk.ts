import { isqrt } from './integer-root.js';
import { OddWindowSieve } from './odd-window-sieve.js';
import { popcount32 } from './popcount.js';
import { primeList } from './prime-tables.js';

/** Numbers per window of the walk. */
const WINDOW = 1 << 20;

/**
 * The nth prime, given pi(x) = countAtX for some x >= 2: sieves from x towards the answer
 * window by window (the gap is a few sqrt(x) wide when x comes from R^-1(n)).
 */
export function nthPrimeNear(n: number, x: number, countAtX: number): number {
  // 64 numbers of slack: a window starting off a multiple of 64 still fits in one pass.
  const sieve = new OddWindowSieve(WINDOW + 64);
  if (countAtX < n) return walkUp(sieve, x, n - countAtX);
  // The (countAtX - n + 1)th prime at or below x, counting down.
  const primes = primeList(isqrt(x) + 1);
  let remaining = countAtX - n + 1;
  for (let high = x + 1; high > 2; high -= WINDOW) {
    const low = Math.max(0, high - WINDOW);
    sieve.begin(low, high, primes);
    sieve.next();
    // The sieve leaves out 2, the one even prime.
    const withTwo = low <= 2 ? 1 : 0;
    const found = countPrimes(sieve) + withTwo;
    if (found >= remaining) {
      const fromLow = found - remaining + 1;
      return withTwo === 1 && fromLow === 1 ? 2 : nthSetNumber(sieve, fromLow - withTwo);
    }
    remaining -= found;
  }
  throw new RangeError(`there are not ${countAtX - n + 1} primes at or below ${x}`);
}

/** The steps-th prime above x (steps >= 1, x >= 2, so the odd-only sieve never needs 2). */
function walkUp(sieve: OddWindowSieve, x: number, steps: number): number {
  let remaining = steps;
  // Primes average ln x apart: four times the expected distance nearly always suffices, and
  // the range doubles until it does.
  let span = Math.max(WINDOW, Math.ceil(4 * steps * Math.log(x)));
  for (let from = x + 1; ; from += span, span *= 2) {
    const to = from + span;
    sieve.begin(from, to, primeList(isqrt(to) + 1));
    while (sieve.next()) {
      const found = countPrimes(sieve);
      if (found >= remaining) return nthSetNumber(sieve, remaining);
      remaining -= found;
    }
  }
}

function countPrimes(sieve: OddWindowSieve): number {
  let count = 0;
  for (let w = 0; w < sieve.used; w++) count += popcount32(sieve.words[w]!);
  return count;
}

/** The number of the kth set bit (k >= 1) of the sieve's window. */
function nthSetNumber(sieve: OddWindowSieve, k: number): number {
  let remaining = k;
  for (let w = 0; w < sieve.used; w++) {
    const count = popcount32(sieve.words[w]!);
    if (count < remaining) {
      remaining -= count;
      continue;
    }
    let bits = sieve.words[w]!;
    for (; remaining > 1; remaining--) bits &= bits - 1;
    return sieve.base + 64 * w + 2 * (31 - Math.clz32(bits & -bits)) + 1;
  }
  throw new RangeError(`the window holds fewer than ${k} primes`);
}
