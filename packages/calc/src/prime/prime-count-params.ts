import { icbrtBig, isqrtBig } from './integer-root.js';
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
 * Plain data, safe to JSON-encode: x can pass 2^53, so it is a decimal string; the others stay
 * below 2^32.
 */
export interface PrimeCountParams {
  readonly x: string;
  /** x^(1/3) < y < x^(1/2): the largest prime factor an ordinary or special leaf may have. */
  readonly y: number;
  /** y <= z < x^(1/2): the largest m of a leaf; D sieves [0, x / z). */
  readonly z: number;
  /** The tiny primes p_1 .. p_k that phiTiny removes in constant time. */
  readonly k: number;
  /** x* = max(x^(1/4), x / y^2), bounded by y and sqrt(x / y): the largest p_b of D and C. */
  readonly xStar: number;
}

/** The same parameters with x as a number: what the TypeScript reference path computes with (x < 2^52). */
export interface ReferenceParams {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly k: number;
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
 * alphaY trades D's and B's sieving (their ranges shrink as y grows) against the easy leaves
 * (which grow with y); alphaZ moves work between D and the composed easy leaves. Fitted on the
 * WebAssembly kernels by `npm run bench:alpha` in packages/calc (docs/benchmarks.md), for
 * 10^11 <= x <= 4 * 10^17: alphaY = ALPHA_Y_SCALE * (ln x)^3, within [1, x^(1/6)].
 */
const ALPHA_Y_SCALE = 0.000227;
const ALPHA_Z = 2;

/** The alphas primeCountParams uses for x by default. */
export function defaultAlphas(x: number): PrimeCountAlphas {
  const logX = Math.log(x);
  const alphaY = Math.max(1, Math.min(ALPHA_Y_SCALE * logX * logX * logX, x ** (1 / 6)));
  return { alphaY, alphaZ: ALPHA_Z };
}

/** Parameters for pi(x), x >= MIN_PRIME_COUNT_X. */
export function primeCountParams(
  x: bigint | number,
  alphas: PrimeCountAlphas = defaultAlphas(Number(x)),
): PrimeCountParams {
  const big = BigInt(x);
  if (!(big >= BigInt(MIN_PRIME_COUNT_X))) {
    throw new RangeError(`x = ${x} is below ${MIN_PRIME_COUNT_X}`);
  }
  const cbrtX = Number(icbrtBig(big));
  const sqrtX = Number(isqrtBig(big));
  const y = Math.min(sqrtX - 1, Math.max(cbrtX + 1, Math.floor(cbrtX * alphas.alphaY)));
  // z / y stays below 17, so an m <= z with no factor below 17 that has a prime factor above y
  // is that prime itself (the hard leaves' factor table relies on it).
  const z = Math.min(sqrtX - 1, Math.max(y, Math.floor(y * Math.min(alphas.alphaZ, 16))));
  const yy = BigInt(y) * BigInt(y); // < x
  // max(x^(1/4), ceil(x / y^2))
  let xStar = Math.max(Number(isqrtBig(isqrtBig(big))), Number((big + yy - 1n) / yy));
  // Without these bounds the Sigma formulas go wrong for small x (as primecount found).
  xStar = Math.max(1, Math.min(xStar, y, Number(isqrtBig(big / BigInt(y)))));
  return { x: big.toString(), y, z, k: PHI_TINY_MAX_C, xStar };
}

/** Largest x the TypeScript reference path computes exactly (every product stays below 2^53). */
export const REFERENCE_MAX_X = 4e15;

/** The parameters with x as a number, for the reference path; throws above REFERENCE_MAX_X. */
export function referenceParams(params: PrimeCountParams): ReferenceParams {
  const x = Number(params.x);
  if (!(x <= REFERENCE_MAX_X)) throw new RangeError(`x = ${params.x} is above ${REFERENCE_MAX_X}`);
  return { ...params, x };
}

/** The parameters with x rounded to a number: for estimates, which need no exact x. */
export function approximateParams(params: PrimeCountParams): ReferenceParams {
  return { ...params, x: Number(params.x) };
}
