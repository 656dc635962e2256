import { estimateNthPrimeSeconds } from '@twelvefa/calc';
import { describe, expect, it } from 'vitest';
import { estimatedSeconds } from '../src/jobs/work-estimate.js';

describe('the estimate of an n’s work read off a few points', () => {
  it('is within 3% of the planner’s own, from the small table’s end to the largest n', () => {
    const ns = [
      4_000_001,
      4_500_000,
      9e6 + 7,
      3e8 + 1,
      7e9 + 3,
      2.5e11,
      1e12,
      3.3e12,
      1e13 + 39,
      6e13,
      1e14,
    ];
    for (const n of ns) {
      const exact = estimateNthPrimeSeconds(n);
      expect(Math.abs(estimatedSeconds(n) / exact - 1), `n = ${n}`).toBeLessThan(0.03);
    }
    expect(estimatedSeconds(4_000_000)).toBe(0);
  });

  it('costs microseconds once its points are known: 5,000 n in under 50 ms', () => {
    const ns = Array.from({ length: 5000 }, (_, i) => 1e13 + 7919 * i);
    estimatedSeconds(ns[0] as number);
    const started = performance.now();
    for (const n of ns) estimatedSeconds(n);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
