import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError } from '../src/errors.js';
import { nthPrime } from '../src/nth-prime.js';
import {
  combineNthPrime,
  combineNthPrimeExact,
  estimateNthPrimeSeconds,
  type NthPrimeChunk,
  type NthPrimePlan,
  planNthPrime,
  planNthPrimes,
} from '../src/nth-prime-plan.js';
import { computeChunk } from '../src/plan/compute-chunk.js';
import { planTargets } from '../src/plan/plan-targets.js';
import { estimateTargetSeconds } from '../src/plan/target-cost.js';
import { overTheWire } from './plan/plan-helpers.js';

// The first planner API, now wrappers over planTargets: what the server calls until it plans targets.
describe('the nth-prime plan wrappers', () => {
  it('plan as planTargets does, without the kind, each chunk naming its n', () => {
    const ns = [10001n, 4_000_001n, 10n ** 13n, 10n ** 14n];
    const plans = planNthPrimes(ns, { parallelism: 2 });
    const targets = planTargets(
      ns.map((n) => ({ kind: 'nth-prime' as const, n })),
      { parallelism: 2 },
    );
    expect(plans).toEqual(
      targets.map(({ kind: _, ...plan }) => ({
        ...plan,
        chunks: plan.chunks.map((chunk) => ({ n: plan.n, ...chunk })),
      })),
    );
    expect(plans[3]!.chunks[0]!.n).toBe('100000000000000');
    expect(planNthPrime(10001).answer).toBe('104743');
  });

  it('combine the chunks that ran elsewhere, and estimate, as before', () => {
    const plan: NthPrimePlan = overTheWire(planNthPrime(123_456_789, { chunks: 5 }));
    const results = plan.chunks
      .map((chunk) => overTheWire(computeChunk(overTheWire<NthPrimeChunk>(chunk))))
      .reverse();
    expect(combineNthPrime(plan, results)).toBe(nthPrime(123_456_789));
    expect(combineNthPrimeExact(plan, results)).toBe(2_543_568_463n);
    expect(() => combineNthPrimeExact(plan, results.slice(1))).toThrow(InvalidArgumentError);
    expect(combineNthPrime(planNthPrime(10001), [])).toBe(104743);
    expect(estimateNthPrimeSeconds('10000000000000')).toBe(
      estimateTargetSeconds({ kind: 'nth-prime', n: 10n ** 13n }),
    );
  });

  it('validate n like nthPrime', () => {
    expect(() => planNthPrime(0)).toThrow(InvalidArgumentError);
    expect(() => planNthPrime(10n ** 16n + 1n)).toThrow(OutOfRangeError);
    expect(() => planNthPrimes([5, 0])).toThrow(InvalidArgumentError);
    expect(() => estimateNthPrimeSeconds(1.5)).toThrow(InvalidArgumentError);
  });
});
