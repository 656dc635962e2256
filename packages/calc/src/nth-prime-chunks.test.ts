import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError } from './errors.js';
import { nthPrime } from './nth-prime.js';
import {
  combineNthPrime,
  computeChunk,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  type NthPrimePlan,
  planNthPrime,
} from './nth-prime-chunks.js';

/** What a job queue does to data: JSON out, JSON back. */
function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe('planNthPrime', () => {
  it('answers small n in the plan itself, with no chunks', () => {
    const plan = planNthPrime(10001);
    expect(plan.answer).toBe(104743);
    expect(plan.chunks).toEqual([]);
    expect(combineNthPrime(plan, [])).toBe(104743);
  });

  it('gives the direct answer when every chunk runs elsewhere and comes back shuffled', () => {
    for (const n of [4_000_001, 123_456_789, 1_000_000_007]) {
      const plan = overTheWire(planNthPrime(n, { easyChunks: 3, hardChunks: 4 }));
      // z (the sieve bound) is small for small n, so there may be fewer hard chunks than asked.
      expect(plan.chunks.length).toBeGreaterThanOrEqual(4);
      const results = plan.chunks
        .map((chunk) => overTheWire(computeChunk(overTheWire<NthPrimeChunk>(chunk))))
        .reverse();
      expect(combineNthPrime(plan, results)).toBe(nthPrime(n));
    }
  });

  it('labels each chunk with what it computes', () => {
    const plan = planNthPrime(1_000_000_007, { easyChunks: 2, hardChunks: 2 });
    expect(plan.chunks.map((chunk) => chunk.label)).toEqual([
      expect.stringMatching(/^pi\(\d+\) easy leaves, b in \[\d+, \d+\) \+ S1 \+ P2$/),
      expect.stringMatching(/^pi\(\d+\) easy leaves, b in \[\d+, \d+\)$/),
      expect.stringMatching(/^pi\(\d+\) hard leaves, u in \[0, \d+\)$/),
      expect.stringMatching(/^pi\(\d+\) hard leaves, u in \[\d+, \d+\)$/),
    ]);
  });

  it('refuses to combine with a missing or repeated chunk result', () => {
    const plan: NthPrimePlan = planNthPrime(50_000_017, { easyChunks: 2, hardChunks: 2 });
    const results: NthPrimeChunkResult[] = plan.chunks.map(computeChunk);
    expect(() => combineNthPrime(plan, results.slice(1))).toThrow(
      `1 of ${plan.chunks.length} chunk results are missing`,
    );
    expect(() => combineNthPrime(plan, [...results, results[0]!])).toThrow(InvalidArgumentError);
  });

  it('validates n like nthPrime', () => {
    expect(() => planNthPrime(0)).toThrow(InvalidArgumentError);
    expect(() => planNthPrime(1e12 + 1)).toThrow(OutOfRangeError);
  });
});
