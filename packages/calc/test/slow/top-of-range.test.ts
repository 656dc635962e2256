import { describe, expect, it } from 'vitest';
import { combinePlan, planTargets, primeCount } from '../../src/index.js';
import { throughChunks } from '../plan/plan-helpers.js';

// The top of the range, a file of its own so that it runs beside the other slow files (each is
// tens of seconds on one core). Published values: pi(10^17) (OEIS A006880), p(10^16) (A006988).
describe('the top of the range', () => {
  it('pi(10^17)', () => {
    expect(primeCount(10n ** 17n)).toBe(2623557157654233n);
  }, 600_000);

  it('p(10^16), the largest n served, as chunks for four workers through JSON', () => {
    const [plan] = planTargets([{ kind: 'nth-prime', n: 10n ** 16n }], { parallelism: 4 });
    expect(combinePlan(plan!, throughChunks(plan!))).toBe(394906913903735329n);
  }, 900_000);
});
