import { estimateTargetSeconds } from '@twelvefa/calc';
import { describe, expect, it } from 'vitest';
import { estimatedSeconds } from '../src/jobs/work-estimate.js';
import { nth, pi } from './helpers/targets.js';

describe('the estimate of a target’s work read off a few points', () => {
  it('is within 3% of the planner’s own, from the small table’s end to the largest n and x', () => {
    const targets = [
      ...[4_000_001, 4_500_000, 9e6 + 7, 3e8 + 1, 7e9 + 3, 2.5e11, 1e12, 3.3e12, 1e13 + 39, 6e13]
        .concat([1e14, 3e15 + 1])
        .map(nth),
      nth(10n ** 16n),
      ...[67_867_968, 1e9 + 7, 4e12 + 1, 1e15].map(pi),
      pi(5n * 10n ** 17n),
    ];
    for (const target of targets) {
      const exact = estimateTargetSeconds(target);
      expect(
        Math.abs(estimatedSeconds(target) / exact - 1),
        JSON.stringify(target, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
      ).toBeLessThan(0.03);
    }
    expect(estimatedSeconds(nth(4_000_000))).toBe(0);
    expect(estimatedSeconds(pi(67_867_967))).toBe(0);
  });

  it('costs microseconds once its points are known: 5,000 n in under 50 ms', () => {
    const targets = Array.from({ length: 5000 }, (_, i) => nth(1e13 + 7919 * i));
    estimatedSeconds(targets[0]!);
    const started = performance.now();
    for (const target of targets) estimatedSeconds(target);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
