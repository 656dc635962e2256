import { describe, expect, it } from 'vitest';
import { combinePlan, nthPrime, nthPrimeExact, planTargets, primeCount } from '../../src/index.js';
import { overTheWire, throughChunks } from '../plan/plan-helpers.js';

// Published values: pi(10^k) (OEIS A006880), p(10^k) (OEIS A006988).
describe('the published values beyond a second of work', () => {
  it('pi(10^11) .. pi(10^14) and pi(12345678901234)', () => {
    expect(primeCount(1e11)).toBe(4118054813n);
    expect(primeCount(1e12)).toBe(37607912018n);
    expect(primeCount(1e13)).toBe(346065536839n);
    expect(primeCount(12345678901234)).toBe(424144126840n);
    expect(primeCount(1e14)).toBe(3204941750802n);
  });

  it('p(10^10) .. p(10^13)', () => {
    expect(nthPrime(1e10)).toBe(252097800623);
    expect(nthPrime(1e11)).toBe(2760727302517);
    expect(nthPrime(1e12)).toBe(29996224275833);
    expect(nthPrime(1e13)).toBe(323780508946331);
  });

  it('pi(10^15) and p(10^14), the largest n of the number API, planned as one batch for two workers, chunks through JSON', () => {
    const plans = overTheWire(
      planTargets(
        [
          { kind: 'prime-count', x: 10n ** 15n },
          { kind: 'nth-prime', n: 10n ** 14n },
        ],
        { parallelism: 2 },
      ),
    );
    for (const plan of plans) expect(plan.chunks.length).toBeGreaterThanOrEqual(4);
    expect(plans.map((plan) => combinePlan(plan, throughChunks(plan)))).toEqual([
      29844570422669n,
      3475385758524527n,
    ]);
  });

  it('p(987654321012), computed as independent chunks', () => {
    const [plan] = planTargets([{ kind: 'nth-prime', n: 987654321012n }], { chunks: 5 });
    expect(combinePlan(plan!, throughChunks(plan!))).toBe(29613190602367n);
  });
});

describe('past 2^53', () => {
  it('pi(10^16) as chunks for four workers through JSON, and p(10^15)', () => {
    const [plan] = planTargets([{ kind: 'prime-count', x: 10n ** 16n }], { parallelism: 4 });
    expect(plan!.chunks.length).toBeGreaterThan(12);
    expect(combinePlan(plan!, throughChunks(plan!))).toBe(279238341033925n);
    expect(nthPrimeExact(10n ** 15n)).toBe(37124508045065437n);
  }, 300_000);
});
