import { describe, expect, it } from 'vitest';
import {
  combineNthPrime,
  computeChunk,
  nthPrime,
  planNthPrime,
  primeCount,
} from '../../src/index.js';

// Published values (OEIS A006880, A006988) and reference values from the brief.
describe('the published values beyond a second of work', () => {
  it('pi(10^11), pi(10^12), pi(10^13) and pi(12345678901234)', () => {
    expect(primeCount(1e11)).toBe(4118054813);
    expect(primeCount(1e12)).toBe(37607912018);
    expect(primeCount(1e13)).toBe(346065536839);
    expect(primeCount(12345678901234)).toBe(424144126840);
  });

  it('p(10^10), p(10^11) and p(10^12)', () => {
    expect(nthPrime(1e10)).toBe(252097800623);
    expect(nthPrime(1e11)).toBe(2760727302517);
    expect(nthPrime(1e12)).toBe(29996224275833);
  });

  it('p(987654321012), computed as independent chunks', () => {
    const plan = planNthPrime(987654321012);
    expect(plan.chunks.length).toBeGreaterThan(4);
    const results = plan.chunks.map((chunk) => computeChunk(JSON.parse(JSON.stringify(chunk))));
    expect(combineNthPrime(plan, results)).toBe(29613190602367);
  });
});
