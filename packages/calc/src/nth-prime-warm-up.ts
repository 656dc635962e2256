import { validateN } from './nth-prime-input.js';
import { isqrt } from './prime/integer-root.js';
import { primesThrough } from './prime/prime-tables.js';
import { inverseRiemannR } from './prime/riemann-r.js';
import { smallPrimeTable } from './small-prime-table.js';

/**
 * Builds, in the calling thread, what nth-prime computations up to n reuse: the small table,
 * and the sieving primes the walk to the answer needs (up to sqrt(p(n)); at n = 10^14 that is
 * 3.5 million primes, 15 MiB, about 0.1 s). A thread that serves many calls builds them once
 * instead of on its first call's time. Throws like validateN.
 */
export function prepareNthPrimeTables(n: number): void {
  validateN(n);
  smallPrimeTable();
  // R^-1(n) is within a few sqrt(n) of p(n); the walk's window ends a little further out.
  primesThrough(isqrt(Math.ceil(1.001 * inverseRiemannR(n))) + 1);
}
