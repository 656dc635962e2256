import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { nthPrimeExact } from '../../src/nth-prime.js';
import { combinePlan } from '../../src/plan/combine-plan.js';
import { computeChunk } from '../../src/plan/compute-chunk.js';
import { planTargets } from '../../src/plan/plan-targets.js';
import type { PrimeTarget } from '../../src/plan/prime-target.js';
import type { PrimeCountChunkResult, TargetPlan } from '../../src/plan/target-plan.js';
import { primeCount } from '../../src/prime-count.js';
import { SMALL_COUNT_MAX_X } from '../../src/small-prime-count.js';
import { overTheWire, throughChunks } from './plan-helpers.js';

describe('combinePlan', () => {
  it('answers a plan the small table answered without any result', () => {
    const plans = planTargets([
      { kind: 'prime-count', x: 0n },
      { kind: 'prime-count', x: 1n },
      { kind: 'prime-count', x: 2n },
      { kind: 'prime-count', x: 10n ** 7n },
      { kind: 'nth-prime', n: 1n },
    ]);
    expect(plans.map((plan) => combinePlan(overTheWire(plan), []))).toEqual([
      0n,
      0n,
      1n,
      664579n,
      2n,
    ]);
  });

  it('gives the direct answer when every chunk ran elsewhere and came back shuffled', () => {
    const cases: [PrimeTarget, number][] = [
      [{ kind: 'prime-count', x: BigInt(SMALL_COUNT_MAX_X) + 1n }, 3],
      [{ kind: 'prime-count', x: 123_456_789n }, 5],
      [{ kind: 'prime-count', x: 1_000_000_007n }, 9],
      [{ kind: 'prime-count', x: 31_415_926_535n }, 6],
      [{ kind: 'nth-prime', n: 4_000_001n }, 3],
      [{ kind: 'nth-prime', n: 1_000_000_007n }, 9],
    ];
    for (const [target, chunks] of cases) {
      const [plan] = planTargets([target], { chunks });
      const shipped = overTheWire(plan!);
      expect(shipped.chunks).toHaveLength(chunks);
      const expected =
        target.kind === 'prime-count' ? primeCount(target.x) : nthPrimeExact(target.n);
      const name = target.kind === 'prime-count' ? `pi(${target.x})` : `p(${target.n})`;
      expect(combinePlan(shipped, throughChunks(shipped)), name).toBe(expected);
    }
  });

  it('counts pi(10^12) = 37607912018 and finds p(10^12) from one mixed batch, chunks run in any order', () => {
    const plans = overTheWire(
      planTargets(
        [
          { kind: 'prime-count', x: 10n ** 12n },
          { kind: 'nth-prime', n: 10n ** 12n },
          { kind: 'prime-count', x: 2n },
        ],
        { chunks: 4 },
      ),
    );
    // Every chunk of the batch in one queue, taken from the back, results routed to their plan.
    const queue = plans.flatMap((plan, p) => plan.chunks.map((chunk) => ({ p, chunk })));
    const results = plans.map((): PrimeCountChunkResult[] => []);
    for (const { p, chunk } of queue.reverse()) {
      results[p]!.push(overTheWire(computeChunk(overTheWire(chunk))));
    }
    expect(plans.map((plan, p) => combinePlan(plan, results[p]!))).toEqual([
      37_607_912_018n,
      29_996_224_275_833n,
      1n,
    ]);
  });

  it('refuses a missing, repeated or foreign chunk result, for either kind', () => {
    const plans: TargetPlan[] = planTargets(
      [
        { kind: 'prime-count', x: 50_000_017_000n },
        { kind: 'nth-prime', n: 50_000_017n },
      ],
      { chunks: 3 },
    );
    const [counted, found] = plans.map((plan) => plan.chunks.map(computeChunk)) as [
      PrimeCountChunkResult[],
      PrimeCountChunkResult[],
    ];
    for (const [plan, results] of [
      [plans[0]!, counted],
      [plans[1]!, found],
    ] as const) {
      expect(() => combinePlan(plan, results.slice(1))).toThrow(
        new InvalidArgumentError('1 of 3 chunk results are missing'),
      );
      expect(() => combinePlan(plan, [...results, results[0]!])).toThrow(InvalidArgumentError);
      expect(() => combinePlan(plan, [...results.slice(1), { index: 0, results: [] }])).toThrow(
        InvalidArgumentError,
      );
      expect(() => combinePlan(plan, [...results.slice(1), { index: 3, results: [] }])).toThrow(
        'unexpected or repeated result for chunk 3',
      );
    }
    // The other plan's results: same indices, ranges of another x.
    expect(() => combinePlan(plans[1]!, counted)).toThrow(InvalidArgumentError);
  });

  it('refuses a plan of an unknown kind', () => {
    const [plan] = planTargets([{ kind: 'prime-count', x: 10n ** 9n }]);
    const results = plan!.chunks.map(computeChunk);
    const foreign = { ...plan!, kind: 'sum' } as unknown as TargetPlan;
    expect(() => combinePlan(foreign, results)).toThrow('unknown plan kind "sum"');
  });
});
