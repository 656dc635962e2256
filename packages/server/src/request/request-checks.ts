// How a call is checked, and what is cheap enough to answer on the spot: the request
// machine's steps on plain data.
import {
  add,
  InvalidArgumentError,
  max,
  nthPrimes,
  OutOfRangeError,
  validateN,
} from '@twelvefa/calc';
import { ResourceExhaustedError } from '../errors.js';
import type { CalcReply, CalcRequest } from './calc-calls.js';

/** The limits a call is checked against (from the config). */
export interface RequestLimits {
  /** INLINE_MAX_N: n up to this is answered inline. */
  readonly inlineMaxN: number;
  /** MAX_N: n above this is OUT_OF_RANGE. */
  readonly maxN: number;
  /** MAX_BATCH: more n than this in one call is RESOURCE_EXHAUSTED. */
  readonly maxBatch: number;
}

/** The limits from the config. */
export function requestLimits(config: RequestLimits): RequestLimits {
  const { inlineMaxN, maxN, maxBatch } = config;
  return { inlineMaxN, maxN, maxBatch };
}

/** The n of a NthPrimes call, checked, as exact numbers. */
export interface CheckedNs {
  /** Every n in request order. */
  readonly ns: readonly number[];
  /** Distinct n up to INLINE_MAX_N. */
  readonly inline: readonly number[];
  /** Distinct n above INLINE_MAX_N: each becomes one job. */
  readonly heavy: readonly number[];
}

/**
 * Checks the n of a NthPrimes call; throws InvalidArgumentError,
 * OutOfRangeError or ResourceExhaustedError. The range is checked on the
 * bigint, before any conversion could round a huge uint64.
 */
export function checkNs(n: readonly bigint[], limits: RequestLimits): CheckedNs {
  if (n.length === 0) throw new InvalidArgumentError('at least one n is required');
  if (n.length > limits.maxBatch) {
    throw new ResourceExhaustedError(`at most ${limits.maxBatch} n per call, got ${n.length}`);
  }
  const maxN = BigInt(limits.maxN);
  const ns = n.map((value) => {
    if (value < 1n) throw new InvalidArgumentError(`n = ${value}: n must be at least 1`);
    if (value > maxN) throw new OutOfRangeError(`n = ${value} is above the maximum ${limits.maxN}`);
    return validateN(Number(value), limits.maxN);
  });
  const distinct = [...new Set(ns)];
  return {
    ns,
    inline: distinct.filter((value) => value <= limits.inlineMaxN),
    heavy: distinct.filter((value) => value > limits.inlineMaxN),
  };
}

/** Answers Add and Max; throws OverflowError (an OutOfRangeError) when a sum leaves int64. */
export function answerArithmetic(request: CalcRequest<'Add' | 'Max'>): CalcReply<'Add' | 'Max'> {
  return request.method === 'Add'
    ? { method: 'Add', sum: add(request.a, request.b) }
    : { method: 'Max', max: max(request.a, request.b) };
}

/** The nth primes of n answered from the in-memory table. */
export function answerInlineNs(ns: readonly number[]): Map<number, number> {
  const primes = nthPrimes(ns);
  return new Map(ns.map((n, index) => [n, primes[index] ?? Number.NaN]));
}

/** The NthPrimes reply in request order, once every n has its prime. */
export function composeNthPrimes(
  ns: readonly number[],
  primes: ReadonlyMap<number, number>,
): CalcReply<'NthPrimes'> {
  return {
    method: 'NthPrimes',
    nthPrimes: ns.map((n) => {
      const prime = primes.get(n);
      if (prime === undefined || !Number.isSafeInteger(prime)) {
        throw new Error(`no exact prime for n = ${n}`);
      }
      return BigInt(prime);
    }),
  };
}
