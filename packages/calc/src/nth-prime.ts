import { toNumber, validateIndex, validateN } from './nth-prime-input.js';
import { combineNthPrimeExact, computeChunk, planNthPrime } from './nth-prime-plan.js';

/** The nth prime (the 1st is 2), exact for 1 <= n <= NTH_PRIME_MAX_INDEX (10^16), computed in one piece. */
export function nthPrimeExact(n: bigint | number | string): bigint {
  const plan = planNthPrime(validateIndex(n));
  return combineNthPrimeExact(plan, plan.chunks.map(computeChunk));
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
