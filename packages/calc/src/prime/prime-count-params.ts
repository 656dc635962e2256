import { div } from './exact-division.js';
import { icbrt, iroot4, isqrt } from './integer-root.js';
import { PHI_TINY_MAX_C } from './phi-tiny.js';

/**
 * Parameters of Xavier Gourdon's variant of the Deleglise-Rivat prime count,
 *   pi(x) = A - B + C + D + Phi0 + Sigma,
 * where Phi0 sums the ordinary leaves mu(n) phi(x / n, k) over squarefree n <= z whose prime
 * factors lie in (p_k, y]; the special leaves -mu(m) phi(x / (p_b m), b - 1) with m <= z < p_b m
 * are split by how phi can be found: D sieves for them (u = x / (p_b m) >= p_b^2), C looks
 * pi(u) up (p_b <= u < p_b^2, p_b <= x*), A does the same for x* < p_b <= x^(1/3) with the
 * leaves above sqrt(x / p_b) folded onto those below; B = sum of pi(x / p) over y < p <= sqrt(x);
 * Sigma gathers the closed forms (trivial leaves, the pi(y) - 1 term, what folding A leaves).
 * Plain data, so it can be shipped to other processes.
 */
export interface PrimeCountParams {
  readonly x: number;
  /** x^(1/3) < y < x^(1/2): the largest prime factor an ordinary or special leaf may have. */
  readonly y: number;
  /** y <= z < x^(1/2): the largest m of a leaf; D sieves [0, x / z). */
  readonly z: number;
  /** The tiny primes p_1 .. p_k that phiTiny removes in constant time. */
  readonly k: number;
  /** x* = max(x^(1/4), x / y^2), bounded by y and sqrt(x / y): the largest p_b of D and C. */
  readonly xStar: number;
}

/** Smallest x counted this way: from here on k is always 6 (x^(1/4) > 13), which D's wheel needs. */
export const MIN_PRIME_COUNT_X = 100_000;

/** The tuning factors: y = alphaY * x^(1/3) and z = alphaZ * y. */
export interface PrimeCountAlphas {
  readonly alphaY: number;
  readonly alphaZ: number;
}

/**
 * alphaY trades D's and B's sieving (their ranges shrink as y grows) against the number of
 * leaves (which grows with y); alphaZ moves work from D to B. Fitted on this code by
 * `npm run bench:alpha` in packages/calc for 10^9 <= x <= 4 * 10^15.
 */
function chooseAlphas(x: number): PrimeCountAlphas {
  const logX = Math.log(x);
  const alphaY = Math.max(1, Math.min(0.00027 * logX * logX * logX, x ** (1 / 6)));
  return { alphaY, alphaZ: 2 };
}

/** Parameters for pi(x), x >= MIN_PRIME_COUNT_X. */
export function primeCountParams(
  x: number,
  alphas: PrimeCountAlphas = chooseAlphas(x),
): PrimeCountParams {
  if (!(x >= MIN_PRIME_COUNT_X)) throw new RangeError(`x = ${x} is below ${MIN_PRIME_COUNT_X}`);
  const cbrtX = icbrt(x);
  const sqrtX = isqrt(x);
  const y = Math.min(sqrtX - 1, Math.max(cbrtX + 1, Math.floor(cbrtX * alphas.alphaY)));
  // z / y stays below 17, so an m <= z with no factor below 17 that has a prime factor above y
  // is that prime itself (the hard leaves' factor table relies on it).
  const z = Math.min(sqrtX - 1, Math.max(y, Math.floor(y * Math.min(alphas.alphaZ, 16))));
  const yy = y * y; // < x
  let xStar = Math.max(iroot4(x), div(x + yy - 1, yy)); // max(x^(1/4), ceil(x / y^2))
  // Without these bounds the Sigma formulas go wrong for small x (as primecount found).
  xStar = Math.max(1, Math.min(xStar, y, isqrt(div(x, y))));
  return { x, y, z, k: PHI_TINY_MAX_C, xStar };
}
