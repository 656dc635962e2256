import type { PrimeTarget } from '@twelvefa/calc';
import type {
  AddRequest,
  AddResponse,
  CalcServer,
  MaxRequest,
  MaxResponse,
  NthPrimesRequest,
  NthPrimesResponse,
  PrimePiRequest,
  PrimePiResponse,
  WatchNthPrimesRequest,
  WatchNthPrimesResponse,
  WatchPrimePiRequest,
  WatchPrimePiResponse,
} from '@twelvefa/proto';
import type { HeavyProgress } from '../request/call-context.js';
import { type CallDeps, unaryCall } from './unary-call.js';
import { watchCall } from './watch-call.js';

/** The number a progress message names: the n of an nth prime, the x of a pi(x). */
function numberOf(target: PrimeTarget): bigint {
  return target.kind === 'nth-prime' ? target.n : target.x;
}

/** Each heavy target's progress as the Watch messages carry it. */
function partsOf(progress: readonly HeavyProgress[]) {
  return progress.map(({ target, done, total }) => ({
    value: numberOf(target),
    partsDone: done,
    partsTotal: total,
  }));
}

/** The calc.Calc handlers: decode, answer, encode; 64-bit values stay bigint end to end. */
export function createCalcService(deps: CallDeps): CalcServer {
  return {
    max: unaryCall<'Max', MaxRequest, MaxResponse>(
      'Max',
      ({ a, b }) => ({ method: 'Max', a, b }),
      (reply) => ({ max: reply.max }),
      deps,
    ),
    add: unaryCall<'Add', AddRequest, AddResponse>(
      'Add',
      ({ a, b }) => ({ method: 'Add', a, b }),
      (reply) => ({ sum: reply.sum }),
      deps,
    ),
    nthPrimes: unaryCall<'NthPrimes', NthPrimesRequest, NthPrimesResponse>(
      'NthPrimes',
      ({ n }) => ({ method: 'NthPrimes', n }),
      (reply) => ({ nthPrimes: [...reply.nthPrimes] }),
      deps,
    ),
    watchNthPrimes: watchCall<'NthPrimes', WatchNthPrimesRequest, WatchNthPrimesResponse>(
      {
        rpc: 'WatchNthPrimes',
        decode: ({ n }) => ({ method: 'NthPrimes', n }),
        progress: (progress) => ({
          progress: { n: partsOf(progress).map(({ value, ...parts }) => ({ n: value, ...parts })) },
        }),
        answer: (reply) => ({ answer: { nthPrimes: [...reply.nthPrimes] } }),
      },
      deps,
    ),
    primePi: unaryCall<'PrimePi', PrimePiRequest, PrimePiResponse>(
      'PrimePi',
      ({ x }) => ({ method: 'PrimePi', x }),
      (reply) => ({ pi: [...reply.pi] }),
      deps,
    ),
    watchPrimePi: watchCall<'PrimePi', WatchPrimePiRequest, WatchPrimePiResponse>(
      {
        rpc: 'WatchPrimePi',
        decode: ({ x }) => ({ method: 'PrimePi', x }),
        progress: (progress) => ({
          progress: { x: partsOf(progress).map(({ value, ...parts }) => ({ x: value, ...parts })) },
        }),
        answer: (reply) => ({ answer: { pi: [...reply.pi] } }),
      },
      deps,
    ),
  };
}
