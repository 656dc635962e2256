import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutOfRangeError, OverflowError } from '../src/errors.js';
import { add, INT64_MAX, INT64_MIN, max } from '../src/int64.js';

const int64 = fc.bigInt({ min: INT64_MIN, max: INT64_MAX });

describe('add', () => {
  it('adds exactly at the int64 limits', () => {
    expect(add(INT64_MAX, 0n)).toBe(9223372036854775807n);
    expect(add(INT64_MIN, 0n)).toBe(-9223372036854775808n);
    expect(add(INT64_MAX, INT64_MIN)).toBe(-1n);
    expect(add(INT64_MAX - 1n, 1n)).toBe(INT64_MAX);
    expect(add(INT64_MIN + 1n, -1n)).toBe(INT64_MIN);
    expect(add(2n, 5n)).toBe(7n);
  });

  it('throws OverflowError naming both operands when the sum leaves int64', () => {
    expect(() => add(INT64_MAX, 1n)).toThrow(OverflowError);
    expect(() => add(INT64_MAX, 1n)).toThrow('add(9223372036854775807, 1) overflows int64');
    expect(() => add(INT64_MIN, -1n)).toThrow('add(-9223372036854775808, -1) overflows int64');
    expect(() => add(INT64_MIN, INT64_MIN)).toThrow(OutOfRangeError);
  });

  it('rejects operands that are not int64', () => {
    expect(() => add(INT64_MAX + 1n, 0n)).toThrow(InvalidArgumentError);
    expect(() => add(0n, INT64_MIN - 1n)).toThrow('b = -9223372036854775809 is not an int64');
  });

  it('agrees with bigint addition whenever the sum fits', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        const sum = a + b;
        if (sum > INT64_MAX || sum < INT64_MIN) expect(() => add(a, b)).toThrow(OverflowError);
        else expect(add(a, b)).toBe(sum);
      }),
    );
  });
});

describe('max', () => {
  it('returns the larger operand, including at the limits', () => {
    expect(max(2n, 5n)).toBe(5n);
    expect(max(5n, 2n)).toBe(5n);
    expect(max(INT64_MIN, INT64_MAX)).toBe(INT64_MAX);
    expect(max(-3n, -3n)).toBe(-3n);
  });

  it('is symmetric and never below either operand', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        const m = max(a, b);
        expect(m).toBe(max(b, a));
        expect(m >= a && m >= b && (m === a || m === b)).toBe(true);
      }),
    );
  });
});
