import { expect } from 'vitest';
import { computeChunk } from '../../src/plan/compute-chunk.js';
import type { PrimeCountChunkResult, TargetPlan } from '../../src/plan/target-plan.js';
import { lineOf, type RangedPartKind } from '../../src/prime/prime-count-parts.js';

/** What a job queue does to data: JSON out, JSON back. */
export function overTheWire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The plan's chunks computed one by one, each through JSON both ways, the results reversed. */
export function throughChunks(plan: TargetPlan): PrimeCountChunkResult[] {
  return plan.chunks.map((chunk) => overTheWire(computeChunk(overTheWire(chunk)))).reverse();
}

/** Checks that a plan's ranged parts tile each line of its pi(x) from start to end. */
export function expectTiled(plan: TargetPlan): void {
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

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
