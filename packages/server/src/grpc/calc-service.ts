import type {
  AddRequest,
  AddResponse,
  CalcServer,
  MaxRequest,
  MaxResponse,
  NthPrimesRequest,
  NthPrimesResponse,
} from '@twelvefa/proto';
import { type UnaryCallDeps, unaryCall } from './unary-call.js';
import { watchNthPrimesCall } from './watch-call.js';

/** The calc.Calc handlers: decode, answer, encode; 64-bit values stay bigint end to end. */
export function createCalcService(deps: UnaryCallDeps): CalcServer {
  return {
    max: unaryCall<MaxRequest, MaxResponse>(
      'Max',
      ({ a, b }) => ({ method: 'Max', a, b }),
      (reply) => ({ max: reply.method === 'Max' ? reply.max : 0n }),
      deps,
    ),
    add: unaryCall<AddRequest, AddResponse>(
      'Add',
      ({ a, b }) => ({ method: 'Add', a, b }),
      (reply) => ({ sum: reply.method === 'Add' ? reply.sum : 0n }),
      deps,
    ),
    nthPrimes: unaryCall<NthPrimesRequest, NthPrimesResponse>(
      'NthPrimes',
      ({ n }) => ({ method: 'NthPrimes', n }),
      (reply) => ({ nthPrimes: reply.method === 'NthPrimes' ? [...reply.nthPrimes] : [] }),
      deps,
    ),
    watchNthPrimes: watchNthPrimesCall(deps),
  };
}
