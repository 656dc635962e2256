import { isqrt } from './integer-root.js';
import { primesUpTo, sieveOddSegment } from './sieve.js';

/** Odd numbers examined per window when walking from an estimate to the nth prime. */
const WINDOW = 1 << 16;

/**
 * The nth prime, given pi(x) = countAtX for some x near it: walks the primes between x and the
 * answer with a segmented sieve (the gap is a few sqrt(x) wide when x comes from R^-1(n)).
 * Meant for x >= 2.
 */
export function nthPrimeNear(n: number, x: number, countAtX: number): number {
  if (countAtX >= n) return walkDown(x, countAtX - n);
  return walkUp(x, n - countAtX);
}

/** The largest prime <= x when skip = 0, the one below it when skip = 1, and so on. */
function walkDown(x: number, skip: number): number {
  let high = x + 1 + (x % 2 === 0 ? 1 : 0); // even, above x
  let remaining = skip;
  const primes = primesUpTo(isqrt(high) + 1);
  const isPrime = new Uint8Array(WINDOW);
  while (high > 2) {
    const low = Math.max(0, high - 2 * WINDOW);
    const size = sieveOddSegment(low, high, primes, isPrime);
    for (let i = size - 1; i >= 0; i--) {
      const candidate = low + 2 * i + 1;
      if (isPrime[i] && candidate <= x) {
        if (remaining === 0) return candidate;
        remaining--;
      }
    }
    high = low;
  }
  if (remaining === 0 && x >= 2) return 2;
  throw new RangeError(`there are not ${skip + 1} primes at or below ${x}`);
}

/** The steps-th prime above x (steps >= 1, x >= 2: the odd-only sieve never yields 2). */
function walkUp(x: number, steps: number): number {
  let low = x + 1 - ((x + 1) % 2); // even, at most x + 1
  let remaining = steps;
  const isPrime = new Uint8Array(WINDOW);
  // Sieving primes up to sqrt of a bound that covers the gap; extended if ever passed.
  let bound = low + 2 * WINDOW * 64;
  let primes = primesUpTo(isqrt(bound) + 1);
  for (;;) {
    const high = low + 2 * WINDOW;
    if (high > bound) {
      bound = high + 2 * WINDOW * 64;
      primes = primesUpTo(isqrt(bound) + 1);
    }
    const size = sieveOddSegment(low, high, primes, isPrime);
    for (let i = 0; i < size; i++) {
      const candidate = low + 2 * i + 1;
      if (isPrime[i] && candidate > x) {
        remaining--;
        if (remaining === 0) return candidate;
      }
    }
    low = high;
  }
}
