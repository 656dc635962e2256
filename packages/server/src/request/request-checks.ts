// How a call is checked, and what is cheap enough to answer on the spot: the request
// machine's steps on plain data.
import {
  add,
  InvalidArgumentError,
  max,
  type PrimeTarget,
  smallPrimeCount,
  smallPrimeTable,
  validateIndex,
  validateX,
} from '@twelvefa/calc';
import { ResourceExhaustedError } from '../errors.js';
import { targetId } from '../jobs/prime-target.js';
import type { CalcReply, CalcRequest } from './calc-calls.js';

/** The limits a call is checked against (from the config). */
export interface RequestLimits {
  /** INLINE_MAX_N: n up to this is answered inline. */
  readonly inlineMaxN: number;
  /** MAX_N: n above this is OUT_OF_RANGE. */
  readonly maxN: bigint;
  /** INLINE_MAX_X: x up to this is answered inline. */
  readonly inlineMaxX: number;
  /** MAX_X: x above this is OUT_OF_RANGE. */
  readonly maxX: bigint;
  /** MAX_BATCH: more n (or x) than this in one call is RESOURCE_EXHAUSTED. */
  readonly maxBatch: number;
}

/** The limits from the config. */
export function requestLimits(config: RequestLimits): RequestLimits {
  const { inlineMaxN, maxN, inlineMaxX, maxX, maxBatch } = config;
  return { inlineMaxN, maxN, inlineMaxX, maxX, maxBatch };
}

/** A call of a method whose answers are targets' (the nth prime of each n, pi of each x). */
export type TargetsRequest = CalcRequest<'NthPrimes' | 'PrimePi'>;

/** The targets of a call, checked. */
export interface CheckedTargets {
  /** Every target in request order. */
  readonly targets: readonly PrimeTarget[];
  /** Distinct targets within INLINE_MAX_N or INLINE_MAX_X: answered inline. */
  readonly inline: readonly PrimeTarget[];
  /** Distinct targets above them: each becomes one job. */
  readonly heavy: readonly PrimeTarget[];
}

/**
 * Checks the n of a NthPrimes call or the x of a PrimePi call; throws InvalidArgumentError,
 * OutOfRangeError or ResourceExhaustedError. The range is checked on the bigint, which holds a
 * uint64 exactly.
 */
export function checkTargets(request: TargetsRequest, limits: RequestLimits): CheckedTargets {
  const [name, values] = request.method === 'NthPrimes' ? ['n', request.n] : ['x', request.x];
  if (values.length === 0) throw new InvalidArgumentError(`at least one ${name} is required`);
  if (values.length > limits.maxBatch) {
    throw new ResourceExhaustedError(
      `at most ${limits.maxBatch} ${name} per call, got ${values.length}`,
    );
  }
  const targets = values.map(
    (value): PrimeTarget =>
      request.method === 'NthPrimes'
        ? { kind: 'nth-prime', n: validateIndex(value, limits.maxN) }
        : { kind: 'prime-count', x: validateX(value, limits.maxX) },
  );
  const distinct = new Map(targets.map((target) => [targetId(target), target]));
  const inline: PrimeTarget[] = [];
  const heavy: PrimeTarget[] = [];
  for (const target of distinct.values()) {
    (isInline(target, limits) ? inline : heavy).push(target);
  }
  return { targets, inline, heavy };
}

function isInline(target: PrimeTarget, limits: RequestLimits): boolean {
  return target.kind === 'nth-prime'
    ? target.n <= BigInt(limits.inlineMaxN)
    : target.x <= BigInt(limits.inlineMaxX);
}

/** Answers Add and Max; throws OverflowError (an OutOfRangeError) when a sum leaves int64. */
export function answerArithmetic(request: CalcRequest<'Add' | 'Max'>): CalcReply<'Add' | 'Max'> {
  return request.method === 'Add'
    ? { method: 'Add', sum: add(request.a, request.b) }
    : { method: 'Max', max: max(request.a, request.b) };
}

/** The answers of inline targets, by target id, from the in-memory small table. */
export function answerInline(targets: readonly PrimeTarget[]): Map<string, bigint> {
  return new Map(
    targets.map((target) => [
      targetId(target),
      target.kind === 'nth-prime'
        ? BigInt(smallPrimeTable().nth(Number(target.n)))
        : smallPrimeCount(target.x),
    ]),
  );
}

/** The reply to a targets call in request order, once every target has its answer. */
export function composeReply(
  request: TargetsRequest,
  targets: readonly PrimeTarget[],
  answers: ReadonlyMap<string, bigint>,
): CalcReply<'NthPrimes' | 'PrimePi'> {
  const ordered = targets.map((target) => {
    const answer = answers.get(targetId(target));
    if (answer === undefined) throw new Error(`no answer for ${targetId(target)}`);
    return answer;
  });
  return request.method === 'NthPrimes'
    ? { method: 'NthPrimes', nthPrimes: ordered }
    : { method: 'PrimePi', pi: ordered };
}
