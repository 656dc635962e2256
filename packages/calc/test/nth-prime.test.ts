import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError } from '../src/errors.js';
import { nthPrime, nthPrimeExact, nthPrimes, nthPrimesExact } from '../src/nth-prime.js';
import {
  NTH_PRIME_MAX_INDEX,
  NTH_PRIME_MAX_N,
  validateIndex,
  validateN,
} from '../src/nth-prime-input.js';
import { primeCount } from '../src/prime-count.js';
import { SMALL_TABLE_MAX_N } from '../src/small-prime-table.js';

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

describe('nthPrime', () => {
  it('starts 2, 3, 5, 7 and gives the values the brief quotes', () => {
    expect([1, 2, 3, 4, 12].map(nthPrime)).toEqual([2, 3, 5, 7, 37]);
    expect(nthPrimes([9999, 1234, 1, 2, 3, 4])).toEqual([104723, 10061, 2, 3, 5, 7]);
  });

  it('matches the published p(10^k) for k = 0..9 and the reference values', () => {
    const published = [
      2, 29, 541, 7919, 104729, 1299709, 15485863, 179424673, 2038074743, 22801763489,
    ];
    expect(published.map((_, k) => nthPrime(10 ** k))).toEqual(published);
    expect(nthPrime(9658)).toBe(100801);
    expect(nthPrime(10001)).toBe(104743);
    expect(nthPrime(123456789)).toBe(2543568463);
    expect(nthPrime(1000000007)).toBe(22801763573);
  });

  it('is continuous across the end of the small table', () => {
    const last = nthPrime(SMALL_TABLE_MAX_N);
    const next = nthPrime(SMALL_TABLE_MAX_N + 1);
    expect(isPrime(last) && isPrime(next)).toBe(true);
    for (let k = last + 1; k < next; k++) expect(isPrime(k)).toBe(false);
    expect(primeCount(next)).toBe(BigInt(SMALL_TABLE_MAX_N + 1));
  });

  it('is the inverse of primeCount on random n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200_000_000 }), (n) => {
        const p = nthPrime(n);
        expect(isPrime(p)).toBe(true);
        expect(primeCount(p)).toBe(BigInt(n));
        expect(primeCount(p - 1)).toBe(BigInt(n - 1));
      }),
      { numRuns: 25 },
    );
  });

  it('increases with n, with no prime between consecutive answers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000_000 }), (n) => {
        const [p, q] = nthPrimes([n, n + 1]) as [number, number];
        expect(q).toBeGreaterThan(p);
        for (let k = p + 1; k < q; k++) expect(isPrime(k)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });
});

describe('validateN', () => {
  it('rejects n that is not a positive safe integer with InvalidArgumentError', () => {
    expect(() => nthPrime(0)).toThrow(InvalidArgumentError);
    expect(() => nthPrime(0)).toThrow('n = 0: n must be at least 1 (the 1st prime is 2)');
    expect(() => nthPrime(-5)).toThrow(InvalidArgumentError);
    expect(() => nthPrime(2.5)).toThrow('n = 2.5 is not an integer');
    expect(() => nthPrime(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => nthPrime(2 ** 53)).toThrow(InvalidArgumentError);
  });

  it('rejects n above the maximum with OutOfRangeError, before doing any work', () => {
    expect(() => nthPrime(NTH_PRIME_MAX_N + 1)).toThrow(OutOfRangeError);
    expect(() => nthPrime(NTH_PRIME_MAX_N + 1)).toThrow(
      'n = 100000000000001 is above the maximum 100000000000000',
    );
    expect(() => validateN(101, 100)).toThrow('n = 101 is above the maximum 100');
    expect(() => nthPrimes([5, NTH_PRIME_MAX_N + 1])).toThrow(OutOfRangeError);
    expect(validateN(NTH_PRIME_MAX_N)).toBe(NTH_PRIME_MAX_N);
  });
});

describe('nthPrimeExact', () => {
  it('takes n as a bigint, a number or a decimal string and answers a bigint', () => {
    expect(nthPrimeExact(12n)).toBe(37n);
    expect(nthPrimeExact(12)).toBe(37n);
    expect(nthPrimeExact('123456789')).toBe(2543568463n);
    expect(nthPrimesExact([9999n, 1234, '1'])).toEqual([104723n, 10061n, 2n]);
  });

  it('agrees with the number API where both answer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000_000 }), (n) => {
        expect(nthPrimeExact(n)).toBe(BigInt(nthPrime(n)));
      }),
      { numRuns: 10 },
    );
  });
});

describe('validateIndex', () => {
  it('accepts every integer form up to 10^16 and returns a bigint', () => {
    expect(validateIndex(1)).toBe(1n);
    expect(validateIndex('10000000000000000')).toBe(NTH_PRIME_MAX_INDEX);
    expect(validateIndex(NTH_PRIME_MAX_INDEX)).toBe(10n ** 16n);
  });

  it('rejects what validateN rejects, with the same messages', () => {
    expect(() => validateIndex(0)).toThrow('n = 0: n must be at least 1 (the 1st prime is 2)');
    expect(() => validateIndex(-5n)).toThrow(InvalidArgumentError);
    expect(() => validateIndex(2.5)).toThrow('n = 2.5 is not an integer');
    expect(() => validateIndex('12a')).toThrow(InvalidArgumentError);
    expect(() => validateIndex(2 ** 53)).toThrow(InvalidArgumentError);
    expect(() => validateIndex(NTH_PRIME_MAX_INDEX + 1n)).toThrow(
      'n = 10000000000000001 is above the maximum 10000000000000000',
    );
    expect(() => nthPrimeExact(NTH_PRIME_MAX_INDEX + 1n)).toThrow(OutOfRangeError);
    expect(() => validateIndex(101, 100)).toThrow('n = 101 is above the maximum 100');
  });
});
