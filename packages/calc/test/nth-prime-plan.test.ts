import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError } from '../src/errors.js';
import { nthPrime } from '../src/nth-prime.js';
import {
  combineNthPrime,
  computeChunk,
  MAX_CHUNK_SECONDS,
  MIN_CHUNK_SECONDS,
  minChunkSeconds,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  type NthPrimePlan,
  planNthPrime,
  planNthPrimes,
} from '../src/nth-prime-plan.js';
import { lineOf, type RangedPartKind } from '../src/prime/prime-count-parts.js';

/** What a job queue does to data: JSON out, JSON back. */
function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Every ranged part of a plan by line, checked to tile the line from start to end. */
function expectTiled(plan: NthPrimePlan): void {
  const params = plan.params!;
  for (const kind of ['easy-leaves', 'large-primes', 'hard-leaves'] as RangedPartKind[]) {
    const ranges = plan.chunks
      .flatMap((chunk) => chunk.parts)
      .flatMap((part) => (part.kind === kind ? [[part.low, part.high] as const] : []))
      .sort((a, b) => a[0] - b[0]);
    const [start, end] = lineOf(params, kind);
    expect(ranges[0]?.[0]).toBe(start);
    expect(ranges[ranges.length - 1]?.[1]).toBe(end);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1]);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

describe('planNthPrime', () => {
  it('answers small n in the plan itself, with no chunks', () => {
    const plan = planNthPrime(10001);
    expect(plan.answer).toBe('104743');
    expect(plan.chunks).toEqual([]);
    expect(combineNthPrime(plan, [])).toBe(104743);
  });

  it('keeps the work whole for one thread', () => {
    const plan = planNthPrime(1e13);
    expect(plan.chunks).toHaveLength(1);
    expectTiled(plan);
  });

  it('cuts one heavy n into chunks of similar, falling estimated cost for two workers', () => {
    for (const n of [1e13, 1e14]) {
      const plan = planNthPrime(n, { parallelism: 2 });
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
    const few = planNthPrime(1e13, { parallelism: 2 });
    const many = planNthPrime(1e13, { parallelism: 16 });
    expect(few.chunks.length).toBeLessThan(16);
    expect(many.chunks.length).toBeGreaterThanOrEqual(16);
    expectTiled(many);
    for (const chunk of many.chunks) {
      expect(chunk.seconds).toBeGreaterThanOrEqual(minChunkSeconds(16) * 0.55);
    }
  });

  it('gives a batch of distinct heavy n whole chunks, and splits only the very heavy n of a mix', () => {
    const ns = Array.from({ length: 8 }, (_, i) => 1e12 + i * 12_345_678);
    const batch = planNthPrimes(ns, { parallelism: 2 });
    expect(batch.map((plan) => plan.chunks.length)).toEqual(ns.map(() => 1));
    const mix = planNthPrimes([1e14, ...ns.slice(0, 3)], { parallelism: 2 });
    expect(mix[0]!.chunks.length).toBeGreaterThan(2);
    expect(mix.slice(1).map((plan) => plan.chunks.length)).toEqual([1, 1, 1]);
  });

  it('gives the direct answer when every chunk runs elsewhere and comes back shuffled', () => {
    for (const [n, chunks] of [
      [4_000_001, 3],
      [123_456_789, 5],
      [1_000_000_007, 9],
      [31_415_926_535, 6],
    ] as const) {
      const plan = overTheWire(planNthPrime(n, { chunks }));
      expect(plan.chunks).toHaveLength(chunks);
      expectTiled(plan);
      const results = plan.chunks
        .map((chunk) => overTheWire(computeChunk(overTheWire<NthPrimeChunk>(chunk))))
        .reverse();
      expect(combineNthPrime(plan, results)).toBe(nthPrime(n));
    }
  });

  it('plans n up to 10^16 as JSON data, x and n as decimal strings, split like 10^14', () => {
    const plan = planNthPrime(10n ** 16n, { parallelism: 2 });
    expect(overTheWire(plan)).toEqual(plan);
    expect(plan.n).toBe('10000000000000000');
    expect(BigInt(plan.estimate)).toBeGreaterThan(394_000_000_000_000_000n);
    expect(BigInt(plan.estimate)).toBeLessThan(396_000_000_000_000_000n);
    expect(plan.params!.x).toBe(plan.estimate);
    expectTiled(plan);
    // The first chunk also holds the parts computed once (about 1 s at 10^16).
    const seconds = plan.chunks.slice(1).map((chunk) => chunk.seconds);
    expect(plan.chunks.length).toBeGreaterThan(12);
    for (const s of seconds) expect(s).toBeLessThanOrEqual(MAX_CHUNK_SECONDS * 1.05);
    expect(plan.chunks[0]!.seconds).toBeLessThan(3);
    expect(plan.seconds).toBeGreaterThan(10 * planNthPrime(1e14).seconds);
  });

  it('labels each chunk with the parts it computes', () => {
    const plan = planNthPrime(1_000_000_007, { chunks: 4 });
    expect(plan.chunks[0]!.label).toMatch(
      /^pi\(\d+\): Sigma, ordinary leaves, composed easy leaves, easy leaves u in \[0, \d+\)/,
    );
    expect(plan.chunks[3]!.label).toMatch(/hard leaves u in \[\d+, \d+\)$/);
  });

  it('refuses to combine with a missing, repeated or foreign chunk result', () => {
    const plan: NthPrimePlan = planNthPrime(50_000_017, { chunks: 3 });
    const results: NthPrimeChunkResult[] = plan.chunks.map(computeChunk);
    expect(() => combineNthPrime(plan, results.slice(1))).toThrow(
      `1 of ${plan.chunks.length} chunk results are missing`,
    );
    expect(() => combineNthPrime(plan, [...results, results[0]!])).toThrow(InvalidArgumentError);
    expect(() => combineNthPrime(plan, [...results.slice(1), { index: 0, results: [] }])).toThrow(
      InvalidArgumentError,
    );
  });

  it('validates n like nthPrime', () => {
    expect(() => planNthPrime(0)).toThrow(InvalidArgumentError);
    expect(() => planNthPrime(10n ** 16n + 1n)).toThrow(OutOfRangeError);
    expect(() => planNthPrimes([5, 0])).toThrow(InvalidArgumentError);
  });
});
