import type {
  AddRequest,
  AddResponse,
  CalcServer,
  MaxRequest,
  MaxResponse,
  NthPrimesRequest,
  NthPrimesResponse,
} from '@twelvefa/proto';
import { type CallDeps, unaryCall } from './unary-call.js';
import { watchNthPrimesCall } from './watch-call.js';

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
    watchNthPrimes: watchNthPrimesCall(deps),
  };
}
