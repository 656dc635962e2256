import { combineNthPrime, computeChunk, planNthPrime } from './nth-prime-chunks.js';
import { validateN } from './nth-prime-input.js';
import { SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';

/** The nth prime (the 1st is 2), exact for 1 <= n <= NTH_PRIME_MAX_N. */
export function nthPrime(n: number): number {
  validateN(n);
  if (n <= SMALL_TABLE_MAX_N) return smallPrimeTable().nth(n);
  const plan = planNthPrime(n, { easyChunks: 1, hardChunks: 1 });
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
