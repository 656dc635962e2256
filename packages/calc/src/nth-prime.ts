import { toNumber, validateIndex, validateN } from './nth-prime-input.js';
import { primeCountParams } from './prime/prime-count-params.js';
import { combineParts, computePart, wholeParts } from './prime/prime-count-parts.js';
import { nthPrimeNearExact } from './prime/prime-walk.js';
import { inverseRiemannR } from './prime/riemann-r.js';
import { SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';

/**
 * The nth prime (the 1st is 2), exact for 1 <= n <= NTH_PRIME_MAX_INDEX (10^16), computed in one
 * piece on this thread: pi(x) at x = R^-1(n), every part whole, then the walk to the answer (what
 * a plan of one chunk does, without the planner's cost estimate).
 */
export function nthPrimeExact(n: bigint | number | string): bigint {
  const index = validateIndex(n);
  if (index <= BigInt(SMALL_TABLE_MAX_N)) return BigInt(smallPrimeTable().nth(Number(index)));
  const x = BigInt(inverseRiemannR(Number(index)));
  const params = primeCountParams(x);
  const count = combineParts(
    params,
    wholeParts(params).map((part) => computePart(params, part)),
  );
  return nthPrimeNearExact(index, x, count);
}

/** The nth prime for each n, in order; every n is validated before any work starts. */
export function nthPrimesExact(ns: readonly (bigint | number | string)[]): bigint[] {
  const indices = ns.map((n) => validateIndex(n));
  const answers = new Map<bigint, bigint>();
  return indices.map((n) => {
    let answer = answers.get(n);
    if (answer === undefined) {
      answer = nthPrimeExact(n);
      answers.set(n, answer);
    }
    return answer;
  });
}

/**
 * The number API: the nth prime for 1 <= n <= NTH_PRIME_MAX_N (10^14), as a number. Kept for
 * callers that hold n as a number; nthPrimeExact takes n up to 10^16.
 */
export function nthPrime(n: number): number {
  validateN(n);
  return toNumber(nthPrimeExact(n));
}

/** The number API of nthPrimesExact (n <= NTH_PRIME_MAX_N). */
export function nthPrimes(ns: readonly number[]): number[] {
  for (const n of ns) validateN(n);
  return nthPrimesExact(ns).map(toNumber);
}
