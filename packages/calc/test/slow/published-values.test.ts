import { describe, expect, it } from 'vitest';
import {
  combineNthPrime,
  computeChunk,
  type NthPrimeChunk,
  nthPrime,
  planNthPrime,
  primeCount,
} from '../../src/index.js';

// Published values: pi(10^k) (OEIS A006880), p(10^k) (OEIS A006988).
describe('the published values beyond a second of work', () => {
  it('pi(10^11) .. pi(10^15) and pi(12345678901234)', () => {
    expect(primeCount(1e11)).toBe(4118054813);
    expect(primeCount(1e12)).toBe(37607912018);
    expect(primeCount(1e13)).toBe(346065536839);
    expect(primeCount(12345678901234)).toBe(424144126840);
    expect(primeCount(1e14)).toBe(3204941750802);
    expect(primeCount(1e15)).toBe(29844570422669);
  });

  it('p(10^10) .. p(10^13)', () => {
    expect(nthPrime(1e10)).toBe(252097800623);
    expect(nthPrime(1e11)).toBe(2760727302517);
    expect(nthPrime(1e12)).toBe(29996224275833);
    expect(nthPrime(1e13)).toBe(323780508946331);
  });

  it('p(10^14), the largest n served, as chunks that crossed JSON on the way out and back', () => {
    const plan = JSON.parse(JSON.stringify(planNthPrime(1e14, { parallelism: 2 })));
    expect(plan.chunks.length).toBeGreaterThan(4);
    const results = plan.chunks.map((chunk: NthPrimeChunk) =>
      JSON.parse(JSON.stringify(computeChunk(JSON.parse(JSON.stringify(chunk))))),
    );
    expect(combineNthPrime(plan, results.reverse())).toBe(3475385758524527);
  });

  it('p(987654321012), computed as independent chunks', () => {
    const plan = planNthPrime(987654321012, { chunks: 5 });
    const results = plan.chunks.map((chunk) => computeChunk(JSON.parse(JSON.stringify(chunk))));
    expect(combineNthPrime(plan, results)).toBe(29613190602367);
  });
});
