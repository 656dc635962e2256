import { icbrt, isqrt } from './integer-root.js';
import { PHI_TINY_MAX_C } from './phi-tiny.js';
import { primesUpTo } from './sieve.js';

/**
 * The split of pi(x) used by the Lagarias-Miller-Odlyzko / Deleglise-Rivat method:
 *   pi(x) = S1 + S2 + a - 1 - P2,  with a = pi(y) and phi(x, a) = S1 + S2,
 * where S1 sums the ordinary leaves (m <= y), S2 the special leaves (u = x / (m * p_b) <= z),
 * and P2 counts the n <= x with two prime factors above y. Plain data, so it can be shipped
 * to other processes.
 */
export interface PrimeCountParams {
  readonly x: number;
  /** Leaf bound: x^(1/3) <= y <= x^(1/2). */
  readonly y: number;
  /** Sieve bound: z = floor(x / y). */
  readonly z: number;
  /** Number of tiny primes folded into phiTiny. */
  readonly c: number;
  /** a = pi(y). */
  readonly a: number;
  /** Largest b whose special leaves can be hard (p_b^2 <= z); 0 when there is none. */
  readonly bHardMax: number;
}

/**
 * alpha = y / x^(1/3) trades sieving (z shrinks as alpha grows) against leaf enumeration (which
 * grows with y). ln(x)^3 / 3000 was the best fit on this code for 10^10 <= x <= 3 * 10^13
 * (`npm run bench` prints the timings).
 */
export function chooseAlpha(x: number): number {
  const logX = Math.log(x);
  return Math.max(1, Math.min((logX * logX * logX) / 3000, x ** (1 / 6)));
}

/** Parameters for pi(x); x must be at least 100 so that every bound is meaningful. */
export function primeCountParams(x: number, alpha: number = chooseAlpha(x)): PrimeCountParams {
  const cbrtX = icbrt(x);
  const sqrtX = isqrt(x);
  const y = Math.min(sqrtX, Math.max(cbrtX, Math.floor(alpha * cbrtX)));
  const z = Math.floor(x / y);
  const primes = primesUpTo(y);
  const a = primes.length;
  const c = Math.min(PHI_TINY_MAX_C, a);
  let bHardMax = 0;
  for (let b = c + 1; b < a; b++) {
    const p = primes[b - 1]!;
    if (p * p > z) break;
    bHardMax = b;
  }
  return { x, y, z, c, a, bHardMax };
}
