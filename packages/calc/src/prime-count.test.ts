import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError } from './errors.js';
import {
  combinePrimeCount,
  computePrimeCountChunk,
  splitPrimeCount,
} from './prime/prime-count-chunks.js';
import { primeCountParams } from './prime/prime-count-params.js';
import { primesUpTo } from './prime/sieve.js';
import { PRIME_COUNT_MAX_X, primeCount } from './prime-count.js';

describe('primeCount', () => {
  it('matches the published pi(10^k) for k = 1..10', () => {
    const published = [4, 25, 168, 1229, 9592, 78498, 664579, 5761455, 50847534, 455052511];
    expect(published.map((_, i) => primeCount(10 ** (i + 1)))).toEqual(published);
  });

  it('counts small x exactly, including the edges of the sieve path', () => {
    expect([0, 1, 2, 3, 4, 5, 99_999, 100_000, 100_001].map(primeCount)).toEqual([
      0, 0, 1, 2, 2, 3, 9592, 9592, 9592,
    ]);
  });

  it('agrees with a plain sieve on random x up to 5 * 10^6', () => {
    const primes = primesUpTo(5_000_000);
    const count = (x: number) => {
      let lo = 0;
      let hi = primes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (primes[mid]! <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    fc.assert(
      fc.property(fc.integer({ min: 100_000, max: 5_000_000 }), (x) => {
        expect(primeCount(x)).toBe(count(x));
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same count for every way of splitting into chunks, in any order', () => {
    const x = 3_000_000_007;
    const params = primeCountParams(x);
    const expected = primeCount(x);
    for (const [easy, hard] of [
      [1, 1],
      [3, 2],
      [5, 7],
    ] as const) {
      const results = splitPrimeCount(params, easy, hard).map(computePrimeCountChunk).reverse();
      expect(combinePrimeCount(params, results)).toBe(expected);
    }
  });

  it('gives the same count whatever alpha (the y / x^(1/3) ratio) is', () => {
    const x = 987_654_321;
    for (const alpha of [1, 2, 5, 13]) {
      const params = primeCountParams(x, alpha);
      const results = splitPrimeCount(params, 2, 3).map(computePrimeCountChunk);
      expect(combinePrimeCount(params, results)).toBe(50_251_452);
    }
  });

  it('rejects x that is negative, fractional or above the maximum', () => {
    expect(() => primeCount(-1)).toThrow(InvalidArgumentError);
    expect(() => primeCount(1.5)).toThrow('x = 1.5 is not an integer');
    expect(() => primeCount(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => primeCount(PRIME_COUNT_MAX_X + 1)).toThrow(OutOfRangeError);
  });
});
