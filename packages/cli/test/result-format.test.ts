import { describe, expect, it } from 'vitest';
import { type CalcResult, formatJson, formatResult, formatText } from '../src/result-format.js';

const add: CalcResult = { kind: 'add', a: 2n, b: 5n, sum: 7n };
const max: CalcResult = { kind: 'max', a: 2n, b: 5n, max: 5n };
const np: CalcResult = { kind: 'np', n: [2n, 12n], nthPrimes: [3n, 37n] };
const pi: CalcResult = { kind: 'pi', x: [100n, 10n], pi: [25n, 4n] };

describe('formatText', () => {
  it('prints a sum or a maximum as a number, primes separated by single spaces', () => {
    expect(formatText(add)).toBe('7');
    expect(formatText(max)).toBe('5');
    expect(formatText(np)).toBe('3 37');
    expect(formatText(pi)).toBe('25 4');
    expect(
      formatText({
        kind: 'np',
        n: [9999n, 1234n, 1n, 2n, 3n, 4n],
        nthPrimes: [104723n, 10061n, 2n, 3n, 5n, 7n],
      }),
    ).toBe('104723 10061 2 3 5 7');
  });

  it('prints 64-bit values without losing digits', () => {
    expect(
      formatText({ kind: 'add', a: -1n, b: -9223372036854775807n, sum: -9223372036854775808n }),
    ).toBe('-9223372036854775808');
    expect(formatText({ kind: 'np', n: [1n], nthPrimes: [18446744073709551557n] })).toBe(
      '18446744073709551557',
    );
  });
});

describe('formatJson', () => {
  it('prints one object with the request and response fields, 64-bit values as strings', () => {
    expect(formatJson(add)).toBe('{"command":"add","a":"2","b":"5","sum":"7"}');
    expect(formatJson(max)).toBe('{"command":"max","a":"2","b":"5","max":"5"}');
    expect(formatJson(np)).toBe('{"command":"np","n":["2","12"],"nthPrimes":["3","37"]}');
    expect(formatJson(pi)).toBe('{"command":"pi","x":["100","10"],"pi":["25","4"]}');
  });

  it('keeps values beyond 2^53 exact', () => {
    const big: CalcResult = {
      kind: 'add',
      a: 9223372036854775806n,
      b: 1n,
      sum: 9223372036854775807n,
    };
    expect(JSON.parse(formatJson(big))).toEqual({
      command: 'add',
      a: '9223372036854775806',
      b: '1',
      sum: '9223372036854775807',
    });
  });
});

describe('formatResult', () => {
  it('chooses text or JSON', () => {
    expect(formatResult(add, 'text')).toBe('7');
    expect(formatResult(add, 'json')).toBe(formatJson(add));
  });
});
