import { describe, expect, it } from 'vitest';
import {
  AddRequest,
  AddResponse,
  CalcService,
  MaxRequest,
  NthPrimesRequest,
  NthPrimesResponse,
} from '../src/index.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

describe('the calc.Calc contract', () => {
  it('keeps the method paths existing clients call', () => {
    expect(CalcService.max.path).toBe('/calc.Calc/Max');
    expect(CalcService.add.path).toBe('/calc.Calc/Add');
    expect(CalcService.nthPrimes.path).toBe('/calc.Calc/NthPrimes');
  });

  it('round-trips int64 values exactly at the limits', () => {
    for (const value of [INT64_MIN, INT64_MIN + 1n, -1n, 0n, 1n, 2n ** 53n + 1n, INT64_MAX]) {
      const request = AddRequest.decode(AddRequest.encode({ a: value, b: -value - 1n }).finish());
      expect(request).toEqual({ a: value, b: -value - 1n });
      expect(AddResponse.decode(AddResponse.encode({ sum: value }).finish()).sum).toBe(value);
      expect(MaxRequest.decode(MaxRequest.encode({ a: value, b: 0n }).finish()).a).toBe(value);
    }
  });

  it('round-trips uint64 values exactly up to 2^64 - 1', () => {
    const values = [0n, 1n, 2n ** 53n + 1n, 2n ** 63n, UINT64_MAX];
    expect(NthPrimesRequest.decode(NthPrimesRequest.encode({ n: values }).finish()).n).toEqual(
      values,
    );
    const response = NthPrimesResponse.encode({ nthPrimes: values }).finish();
    expect(NthPrimesResponse.decode(response).nthPrimes).toEqual(values);
  });

  it('encodes Add(2, 5) as the Go service did: fields 1 and 2 as varints', () => {
    expect([...AddRequest.encode({ a: 2n, b: 5n }).finish()]).toEqual([0x08, 2, 0x10, 5]);
    // NthPrimes packs its repeated uint64 (proto3 default): field 1, wire type 2.
    expect([...NthPrimesRequest.encode({ n: [2n, 12n] }).finish()]).toEqual([0x0a, 2, 2, 12]);
  });
});
