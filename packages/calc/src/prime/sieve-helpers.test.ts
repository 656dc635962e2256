import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mobiusTimesLeastFactor } from './mobius-lpf.js';
import { phiTiny } from './phi-tiny.js';
import { PiTable } from './pi-table.js';
import { primesUpTo } from './sieve.js';

/** Trial division: slow, obviously right. */
function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

describe('primesUpTo', () => {
  it('lists exactly the primes up to the limit', () => {
    const primes = [...primesUpTo(1000)];
    const expected = Array.from({ length: 1001 }, (_, i) => i).filter(isPrime);
    expect(primes).toEqual(expected);
    expect([...primesUpTo(1)]).toEqual([]);
    expect([...primesUpTo(2)]).toEqual([2]);
  });
});

describe('PiTable', () => {
  const limit = 300_000;
  const table = new PiTable(limit);
  const primes = primesUpTo(limit);

  it('counts primes at every u around word boundaries and at random u', () => {
    const reference = (u: number) => {
      let lo = 0;
      let hi = primes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (primes[mid]! <= u) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    for (let u = 0; u < 2000; u++) expect(table.pi(u)).toBe(reference(u));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: limit }), (u) => {
        expect(table.pi(u)).toBe(reference(u));
      }),
    );
  });

  it('steps to the next prime and back to the previous one', () => {
    for (let i = 0; i + 1 < 5000; i++) {
      expect(table.nextPrime(primes[i]!)).toBe(primes[i + 1]);
      expect(table.primeAtOrBelow(primes[i + 1]! - 1)).toBe(primes[i]);
      expect(table.primeAtOrBelow(primes[i]!)).toBe(primes[i]);
    }
  });
});

describe('phiTiny', () => {
  it('counts the integers with no factor among the first c primes', () => {
    const small = [2, 3, 5, 7, 11, 13];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 6 }), (x, c) => {
        let count = 0;
        for (let k = 1; k <= x; k++) if (small.slice(0, c).every((p) => k % p !== 0)) count++;
        expect(phiTiny(x, c)).toBe(count);
      }),
      { numRuns: 30 },
    );
  });
});

describe('mobiusTimesLeastFactor', () => {
  it('holds mu(m) * lpf(m) for every m', () => {
    const table = mobiusTimesLeastFactor(5000);
    for (let m = 2; m <= 5000; m++) {
      const factors: number[] = [];
      let rest = m;
      let squarefree = true;
      for (let p = 2; p * p <= rest; p++) {
        if (rest % p !== 0) continue;
        factors.push(p);
        rest /= p;
        if (rest % p === 0) squarefree = false;
        while (rest % p === 0) rest /= p;
      }
      if (rest > 1) factors.push(rest);
      const mu = squarefree ? (factors.length % 2 === 0 ? 1 : -1) : 0;
      expect(table[m]).toBe(mu * factors[0]!);
    }
    expect(table[1]).toBeGreaterThan(1e9);
  });
});
