import { div } from './exact-division.js';
import { icbrt, isqrt } from './integer-root.js';
import type { ReferenceParams } from './prime-count-params.js';
import { primeCountTables } from './prime-count-tables.js';

/** Sigma without the one term that needs pi(sqrt(x)), which the prime line supplies. */
export interface SigmaSum {
  /** Sigma - pi(sqrt(x)) * (pi(sqrt(x)) - 1) / 2. */
  readonly value: number;
  /** Whether sqrt(x) itself is prime: the prime line counts [0, sqrt(x)). */
  readonly sqrtXIsPrime: boolean;
}

/**
 * Gourdon's closed forms Sigma0 .. Sigma6: the trivial leaves (phi = 1), the -b + 2 parts and
 * folded mirrors of A's leaves, and pi(y) - 1. With a = pi(y), b = pi(x^(1/3)),
 * c = pi(sqrt(x / y)), d = pi(x*) and s = pi(sqrt(x)):
 *   Sigma0 = a - 1 + s (s - 1) / 2 - a (a - 1) / 2
 *   Sigma1 = (a - b) (a - b - 1) / 2
 *   Sigma2 = a (b - c - c (c - 3) / 2 + d (d - 3) / 2)
 *   Sigma3 = b (b - 1) (2b - 1) / 6 - b - d (d - 1) (2d - 1) / 6 + d
 *   Sigma4 = a * sum of pi(x / (p y)) over x* < p <= sqrt(x / y)
 *   Sigma5 = sum of pi(x / p^2) over sqrt(x / y) < p <= x^(1/3)
 *   Sigma6 = -sum of pi(sqrt(x / p))^2 over x* < p <= x^(1/3)
 * Every product is below x, and every division by 2 or 6 divides an even or a multiple of 6.
 */
export function sigmaSum(params: ReferenceParams): SigmaSum {
  const { x, y, xStar } = params;
  const x13 = icbrt(x);
  const sqrtXy = isqrt(div(x, y));
  const { primes, pi } = primeCountTables(params);
  const a = pi[y]!;
  const b = pi[x13]!;
  const c = pi[sqrtXy]!;
  const d = pi[xStar]!;
  const sigma0 = a - 1 - (a * (a - 1)) / 2;
  const sigma1 = ((a - b) * (a - b - 1)) / 2;
  const sigma2 = a * (b - c - (c * (c - 3)) / 2 + (d * (d - 3)) / 2);
  const sigma3 = (b * (b - 1) * (2 * b - 1)) / 6 - b - (d * (d - 1) * (2 * d - 1)) / 6 + d;
  let sigma4 = 0;
  let sigma5 = 0;
  let sigma6 = 0;
  for (let i = d + 1; i <= b; i++) {
    const p = primes[i]!;
    const xp = div(x, p);
    if (p <= sqrtXy) sigma4 += pi[div(xp, y)]!;
    else sigma5 += pi[div(xp, p)]!;
    const s = pi[isqrt(xp)]!;
    sigma6 += s * s;
  }
  const value = sigma0 + sigma1 + sigma2 + sigma3 + a * sigma4 + sigma5 - sigma6;
  return { value, sqrtXIsPrime: isPrime(isqrt(x), primes) };
}

/** Trial division by the primes up to sqrt(n) (covered by `primes`). */
function isPrime(n: number, primes: Uint32Array): boolean {
  if (n < 2) return false;
  for (let i = 1; i < primes.length; i++) {
    const p = primes[i]!;
    if (p * p > n) return true;
    if (n % p === 0) return n === p;
  }
  return true;
}
