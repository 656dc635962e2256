import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError } from '../../src/errors.js';
import {
  MAX_CHUNK_SECONDS,
  MIN_CHUNK_SECONDS,
  minChunkSeconds,
  planTargets,
} from '../../src/plan/plan-targets.js';
import type { PrimeCountTarget, PrimeTarget } from '../../src/plan/prime-target.js';
import { estimateTargetSeconds } from '../../src/plan/target-cost.js';
import type { TargetPlan } from '../../src/plan/target-plan.js';
import { SMALL_COUNT_MAX_X } from '../../src/small-prime-count.js';
import { expectTiled, median, overTheWire } from './plan-helpers.js';

const nth = (n: bigint | number): PrimeTarget => ({ kind: 'nth-prime', n: BigInt(n) });
const count = (x: bigint | number): PrimeCountTarget => ({ kind: 'prime-count', x: BigInt(x) });

function planOne(target: PrimeTarget, options: Parameters<typeof planTargets>[1] = {}): TargetPlan {
  const [plan] = planTargets([target], options);
  return plan!;
}

describe('planTargets', () => {
  describe('when the small table answers', () => {
    it('puts the nth prime in the plan, with no chunks', () => {
      expect(planOne(nth(10001))).toEqual({
        kind: 'nth-prime',
        n: '10001',
        answer: '104743',
        estimate: '104743',
        params: null,
        chunks: [],
        seconds: 0,
      });
    });

    it('puts pi(x) in the plan for x from 0 to SMALL_COUNT_MAX_X, with no chunks', () => {
      const xs = [0, 1, 2, 3, 1_000_000, SMALL_COUNT_MAX_X];
      const plans = planTargets(xs.map((x) => count(x)));
      expect(plans.map((plan) => plan.answer)).toEqual(['0', '0', '1', '2', '78498', '4000000']);
      expect(plans[0]).toEqual({
        kind: 'prime-count',
        x: '0',
        answer: '0',
        params: null,
        chunks: [],
        seconds: 0,
      });
      for (const plan of plans) expect(plan.chunks).toEqual([]);
      const [next] = planTargets([count(SMALL_COUNT_MAX_X + 1)]);
      expect(next!.answer).toBeNull();
      expect(next!.chunks).toHaveLength(1);
    });
  });

  it('keeps the work of each target whole for one thread', () => {
    for (const plan of planTargets([nth(1e13), count(1e14)])) {
      expect(plan.chunks).toHaveLength(1);
      expectTiled(plan);
    }
  });

  it('cuts one heavy target into chunks of similar, falling estimated cost for two workers', () => {
    for (const target of [nth(1e13), nth(1e14), count(10n ** 15n), count(10n ** 16n)]) {
      const plan = planOne(target, { parallelism: 2 });
      expect(plan.chunks.length).toBeGreaterThanOrEqual(4);
      expectTiled(plan);
      const seconds = plan.chunks.map((chunk) => chunk.seconds);
      expect(Math.max(...seconds)).toBeLessThanOrEqual(2 * median(seconds));
      for (const s of seconds) expect(s).toBeGreaterThanOrEqual(MIN_CHUNK_SECONDS * 0.55);
      for (const s of seconds) expect(s).toBeLessThanOrEqual(MAX_CHUNK_SECONDS * 1.05);
      // Largest first, so workers that take them in order end on small ones.
      expect(seconds[0]).toBeGreaterThan(seconds[seconds.length - 1]! * 1.5);
      expect(plan.chunks.map((chunk) => [chunk.index, chunk.count])).toEqual(
        plan.chunks.map((_, index) => [index, plan.chunks.length]),
      );
    }
  });

  it('cuts smaller chunks for many workers, so 16 of them all get some of a 10^13', () => {
    expect(minChunkSeconds(2)).toBe(MIN_CHUNK_SECONDS);
    expect(minChunkSeconds(16)).toBeLessThan(MIN_CHUNK_SECONDS);
    const few = planOne(nth(1e13), { parallelism: 2 });
    const many = planOne(nth(1e13), { parallelism: 16 });
    expect(few.chunks.length).toBeLessThan(16);
    expect(many.chunks.length).toBeGreaterThanOrEqual(16);
    expectTiled(many);
    for (const chunk of many.chunks) {
      expect(chunk.seconds).toBeGreaterThanOrEqual(minChunkSeconds(16) * 0.55);
    }
  });

  describe('when a batch holds many targets', () => {
    it('gives distinct heavy targets of both kinds whole chunks', () => {
      const ns = Array.from({ length: 8 }, (_, i) => nth(1e12 + i * 12_345_678));
      const xs = Array.from({ length: 8 }, (_, i) => count(3e13 + i * 12_345_678));
      const batch = planTargets([...ns, ...xs], { parallelism: 2 });
      expect(batch.map((plan) => plan.kind)).toEqual([...ns, ...xs].map((t) => t.kind));
      expect(batch.map((plan) => plan.chunks.length)).toEqual(batch.map(() => 1));
    });

    it('splits only the very heavy targets of a mix, whatever their kind', () => {
      const light = [nth(1e12), count(1e13), nth(1e12 + 1)];
      for (const heavy of [nth(1e14), count(10n ** 15n)]) {
        const mix = planTargets([heavy, ...light], { parallelism: 2 });
        expect(mix[0]!.chunks.length).toBeGreaterThan(2);
        expect(mix.slice(1).map((plan) => plan.chunks.length)).toEqual([1, 1, 1]);
      }
    });

    it('sizes a mixed batch as one: as a slice planned with the whole batch seconds', () => {
      const targets = [count(10n ** 15n), nth(1e14), count(7)];
      const batchSeconds = targets.reduce((sum, t) => sum + estimateTargetSeconds(t), 0);
      const together = planTargets(targets, { parallelism: 2 });
      const sliced = targets.map((target) => planOne(target, { parallelism: 2, batchSeconds }));
      expect(sliced).toEqual(together);
      // Alone, the count would be cut finer: its share of the batch sets the chunk size.
      expect(planOne(targets[0]!, { parallelism: 2 }).chunks.length).toBeGreaterThan(
        together[0]!.chunks.length,
      );
    });
  });

  it('plans up to x = 10^17 and n = 10^16 as JSON data, x, n and answers as decimal strings', () => {
    const [counted, found] = planTargets([count(10n ** 17n), nth(10n ** 16n)], { parallelism: 2 });
    for (const plan of [counted!, found!]) {
      expect(overTheWire(plan)).toEqual(plan);
      expectTiled(plan);
      for (const chunk of plan.chunks) {
        expect(Object.keys(chunk).sort()).toEqual(
          ['count', 'index', 'label', 'params', 'parts', 'seconds'].sort(),
        );
      }
      // The first chunk also holds the parts computed once (about 1 s at 10^16).
      expect(plan.chunks.length).toBeGreaterThan(12);
      for (const chunk of plan.chunks.slice(1)) {
        expect(chunk.seconds).toBeLessThanOrEqual(MAX_CHUNK_SECONDS * 1.05);
      }
      expect(plan.chunks[0]!.seconds).toBeLessThan(3);
    }
    expect(counted).toMatchObject({ kind: 'prime-count', x: '100000000000000000', answer: null });
    expect(counted!.params!.x).toBe('100000000000000000');
    expect(found).toMatchObject({ kind: 'nth-prime', n: '10000000000000000', answer: null });
    expect(BigInt(found!.kind === 'nth-prime' ? found!.estimate : 0)).toBeGreaterThan(
      394_000_000_000_000_000n,
    );
    expect(found!.params!.x).toBe(found!.kind === 'nth-prime' ? found!.estimate : '');
  });

  it('labels each chunk with the parts of pi(x) it computes', () => {
    const plan = planOne(count(1_000_000_007), { chunks: 4 });
    expect(plan.chunks[0]!.label).toMatch(
      /^pi\(1000000007\): Sigma, ordinary leaves, composed easy leaves, easy leaves u in \[0, \d+\)/,
    );
    expect(plan.chunks[3]!.label).toMatch(/hard leaves u in \[\d+, \d+\)$/);
  });

  it('types the plans of one kind of target as that kind', () => {
    const [plan] = planTargets([{ kind: 'prime-count', x: 10n ** 9n }]);
    // A count plan has no estimate; this line would not compile if plan were any TargetPlan.
    expect(plan!.x).toBe('1000000000');
  });

  it('validates every target before planning any, like validateIndex and validateX', () => {
    expect(() => planTargets([nth(5), nth(0)])).toThrow(
      new InvalidArgumentError('n = 0: n must be at least 1 (the 1st prime is 2)'),
    );
    expect(() => planTargets([nth(10n ** 16n + 1n)])).toThrow(OutOfRangeError);
    expect(() => planTargets([count(-1)])).toThrow(
      new InvalidArgumentError('x = -1: x must not be negative'),
    );
    expect(() => planTargets([count(5n * 10n ** 17n + 1n)])).toThrow(
      new OutOfRangeError('x = 500000000000000001 is above the maximum 500000000000000000'),
    );
    expect(() => planTargets([{ kind: 'sum', x: 1n } as unknown as PrimeTarget])).toThrow(
      new InvalidArgumentError('unknown target kind "sum"'),
    );
  });
});

describe('estimateTargetSeconds', () => {
  it('prices what the small table answers at 0, and heavier targets higher', () => {
    expect(estimateTargetSeconds(nth(4_000_000))).toBe(0);
    expect(estimateTargetSeconds(count(SMALL_COUNT_MAX_X))).toBe(0);
    const counts = [12n, 13n, 14n, 15n, 16n].map((k) => estimateTargetSeconds(count(10n ** k)));
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(3 * counts[i - 1]!);
    // p(n)'s pi is at x = R^-1(n): its count costs about as much, the walk aside.
    const [plan] = planTargets([nth(1e14)]);
    const atEstimate = estimateTargetSeconds(count(BigInt(plan!.params!.x)));
    expect(atEstimate).toBeLessThan(plan!.seconds);
    expect(atEstimate).toBeGreaterThan(0.95 * plan!.seconds);
  });

  it('is what the plan says, and validates like planTargets', () => {
    const target = count(10n ** 13n + 7n);
    expect(estimateTargetSeconds(target)).toBe(planOne(target).seconds);
    expect(() => estimateTargetSeconds(count(-5))).toThrow(InvalidArgumentError);
    expect(() => estimateTargetSeconds(nth(0))).toThrow(InvalidArgumentError);
  });
});
