import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError } from '../src/errors.js';
import { MIN_PRIME_COUNT_X, primeCountParams } from '../src/prime/prime-count-params.js';
import {
  combineParts,
  computePart,
  lineOf,
  type PrimeCountPart,
  type PrimeCountPartResult,
  wholeParts,
} from '../src/prime/prime-count-parts.js';
import { primesUpTo } from '../src/prime/sieve.js';
import { primeCount } from '../src/prime-count.js';
import { PRIME_COUNT_MAX_X, validateX } from '../src/prime-count-input.js';

const LIMIT = 30_000_000;
const primes = primesUpTo(LIMIT);

/** pi(x) by binary search in a plain sieve's list: slow to build, obviously right. */
function sievedCount(x: number): number {
  let lo = 0;
  let hi = primes.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (primes[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

describe('primeCount', () => {
  it('matches the published pi(10^k) for k = 1..10', () => {
    const published = [4, 25, 168, 1229, 9592, 78498, 664579, 5761455, 50847534, 455052511];
    expect(published.map((_, i) => primeCount(10 ** (i + 1)))).toEqual(published.map(BigInt));
  });

  it('counts small x exactly, including both sides of the switch from the sieve', () => {
    const xs = [0, 1, 2, 3, 4, 5, MIN_PRIME_COUNT_X - 1, MIN_PRIME_COUNT_X, MIN_PRIME_COUNT_X + 3];
    expect(xs.map((x) => primeCount(x))).toEqual(xs.map((x) => BigInt(sievedCount(x))));
  });

  it('agrees with a plain sieve on random x up to 3 * 10^7', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_PRIME_COUNT_X, max: LIMIT }), (x) => {
        expect(primeCount(x)).toBe(BigInt(sievedCount(x)));
      }),
      { numRuns: 80 },
    );
  });

  it('gives the same count whatever the tuning factors y / x^(1/3) and z / y are', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_PRIME_COUNT_X, max: LIMIT }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 6, noNaN: true }),
        (x, share, alphaZ) => {
          // alphaY from 1 to x^(1/6), the range the bounds of y allow.
          const alphaY = 1 + share * (x ** (1 / 6) - 1);
          const params = primeCountParams(x, { alphaY, alphaZ });
          const results = wholeParts(params).map((part) => computePart(params, part));
          expect(combineParts(params, results)).toBe(BigInt(sievedCount(x)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives the same count for any way of cutting the lines, combined in any order', () => {
    const x = 3_000_000_007;
    const params = primeCountParams(x);
    const expected = primeCount(x);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (cuts) => {
          const parts: PrimeCountPart[] = wholeParts(params).filter((part) => !('low' in part));
          for (const kind of ['easy-leaves', 'large-primes', 'hard-leaves'] as const) {
            const [start, end] = lineOf(params, kind);
            const bounds = [
              ...new Set([
                start,
                ...cuts.map((c) => start + Math.floor(((end - start) * c) / 64) * 64),
                end,
              ]),
            ].sort((a, b) => a - b);
            for (let i = 0; i + 1 < bounds.length; i++) {
              if (bounds[i + 1]! > bounds[i]!)
                parts.push({ kind, low: bounds[i]!, high: bounds[i + 1]! });
            }
          }
          const results = parts.map((part) => computePart(params, part)).reverse();
          expect(combineParts(params, results)).toBe(expected);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('refuses results that leave a gap, overlap, or miss a part', () => {
    const params = primeCountParams(123_456_789);
    const results = wholeParts(params).map((part) => computePart(params, part));
    expect(() => combineParts(params, results.slice(1))).toThrow('sigma is missing');
    expect(() => combineParts(params, [...results, results[3]!])).toThrow(RangeError);
    const [start, end] = lineOf(params, 'hard-leaves');
    const half = start + Math.floor((end - start) / 128) * 64;
    const gap: PrimeCountPartResult[] = results.filter((r) => r.kind !== 'hard-leaves');
    gap.push(computePart(params, { kind: 'hard-leaves', low: half, high: end }));
    expect(() => combineParts(params, gap)).toThrow('hard-leaves: range');
  });

  it('rejects x that is negative, fractional or above the maximum', () => {
    expect(() => primeCount(-1)).toThrow(InvalidArgumentError);
    expect(() => primeCount(1.5)).toThrow('x = 1.5 is not an integer');
    expect(() => primeCount(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => primeCount(PRIME_COUNT_MAX_X + 1n)).toThrow(OutOfRangeError);
    expect(() => primeCount(2 ** 53)).toThrow('is not an integer');
  });
});

describe('validateX', () => {
  it('takes x from 0 to the maximum as a bigint, a safe integer or a decimal string', () => {
    expect(validateX(0)).toBe(0n);
    expect(validateX('12345678901234567')).toBe(12345678901234567n);
    expect(validateX(PRIME_COUNT_MAX_X)).toBe(PRIME_COUNT_MAX_X);
    expect(validateX(10, 10)).toBe(10n);
  });

  it('refuses x below 0, not an integer, or above the maximum, saying which', () => {
    expect(() => validateX(-1n)).toThrow(
      new InvalidArgumentError('x = -1: x must not be negative'),
    );
    expect(() => validateX('1e6')).toThrow(new InvalidArgumentError('x = 1e6 is not an integer'));
    expect(() => validateX(PRIME_COUNT_MAX_X + 1n)).toThrow(
      new OutOfRangeError('x = 500000000000000001 is above the maximum 500000000000000000'),
    );
    expect(() => validateX(11, 10)).toThrow(OutOfRangeError);
  });
});
