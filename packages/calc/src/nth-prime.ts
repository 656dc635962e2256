import { validateN } from './nth-prime-input.js';
import { combineNthPrime, computeChunk, planNthPrime } from './nth-prime-plan.js';

/** The nth prime (the 1st is 2), exact for 1 <= n <= NTH_PRIME_MAX_N, computed in one piece. */
export function nthPrime(n: number): number {
  validateN(n);
  const plan = planNthPrime(n);
  return combineNthPrime(plan, plan.chunks.map(computeChunk));
}

/** The nth prime for each n, in order; every n is validated before any work starts. */
export function nthPrimes(ns: readonly number[]): number[] {
  for (const n of ns) validateN(n);
  const answers = new Map<number, number>();
  return ns.map((n) => {
    let answer = answers.get(n);
    if (answer === undefined) {
      answer = nthPrime(n);
      answers.set(n, answer);
    }
    return answer;
  });
}
