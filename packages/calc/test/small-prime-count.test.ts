import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError } from '../src/errors.js';
import { primesUpTo } from '../src/prime/sieve.js';
import { SMALL_COUNT_MAX_X, smallPrimeCount } from '../src/small-prime-count.js';
import { SMALL_TABLE_MAX_N } from '../src/small-prime-table.js';

describe('smallPrimeCount', () => {
  it('counts 0, 1, 2 and 3 as 0, 0, 1 and 2', () => {
    expect([0, 1, 2, 3].map((x) => smallPrimeCount(x))).toEqual([0n, 0n, 1n, 2n]);
  });

  it('agrees with a plain sieve at every x up to 10^5 and at the published pi(10^k)', () => {
    const primes = primesUpTo(100_000);
    let count = 0;
    for (let x = 0; x <= 100_000; x++) {
      if (primes[count] === x) count++;
      if (smallPrimeCount(x) !== BigInt(count)) expect(smallPrimeCount(x), `pi(${x})`).toBe(count);
    }
    expect(smallPrimeCount(10n ** 6n)).toBe(78498n);
    expect(smallPrimeCount('10000000')).toBe(664579n);
  });

  it('reaches the last prime of the small table, and no further', () => {
    expect(smallPrimeCount(SMALL_COUNT_MAX_X)).toBe(BigInt(SMALL_TABLE_MAX_N));
    expect(smallPrimeCount(SMALL_COUNT_MAX_X - 1)).toBe(BigInt(SMALL_TABLE_MAX_N - 1));
    expect(() => smallPrimeCount(SMALL_COUNT_MAX_X + 1)).toThrow(
      new OutOfRangeError(`x = ${SMALL_COUNT_MAX_X + 1} is above the maximum ${SMALL_COUNT_MAX_X}`),
    );
    expect(() => smallPrimeCount(-1)).toThrow(InvalidArgumentError);
  });
});
