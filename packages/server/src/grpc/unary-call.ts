import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import type { Answer, Answerer } from '../request/answerer.js';
import type { CalcMethod, CalcReply, CalcRequest } from '../request/calc-calls.js';
import { abortOnCancelOrDeadline, callContextOf } from './call-context-of.js';
import { MalformedRequest } from './malformed-request.js';
import { grpcErrorOf } from './to-grpc-status.js';

/** What every call handler needs. */
export interface CallDeps {
  readonly answer: Answerer;
  /** Deadline of a call whose client set none. */
  readonly requestTimeoutMs: number;
  /** For the one error mapper, which logs an unexpected failure with its stack. */
  readonly logger: Logger;
}

/**
 * Adapts an answerer to a grpc-js unary handler of method M, and only that: decodes the
 * request, gives the answerer a signal that aborts when the client cancels or the deadline
 * passes, encodes the reply (of M, by type), and sends any error as the status the one mapper
 * gives it.
 */
export function unaryCall<M extends CalcMethod, Req, Res>(
  method: M,
  decode: (message: Req) => CalcRequest<M>,
  encode: (reply: CalcReply<M>) => Res,
  deps: CallDeps,
): handleUnaryCall<Req, Res> {
  const { answer, requestTimeoutMs, logger } = deps;
  return (call, callback) => {
    // Made when first asked for: a call answered synchronously never needs one, and an
    // AbortController per call is a measurable share of a cheap call's cost.
    let controller: AbortController | undefined;
    const abortController = (): AbortController => {
      controller ??= new AbortController();
      return controller;
    };
    const context = callContextOf(call, {
      rpc: method,
      rpcType: 'unary',
      requestTimeoutMs,
      signal: () => abortController().signal,
    });
    const fail = (error: unknown): void => {
      callback(grpcErrorOf(error, logger));
    };
    const reply = (value: CalcReply<M>): void => {
      let response: Res;
      try {
        response = encode(value);
      } catch (error) {
        fail(error);
        return;
      }
      callback(null, response);
    };
    const request: Req | MalformedRequest = call.request;
    if (request instanceof MalformedRequest) {
      fail(request.toError());
      return;
    }
    let answered: Answer<M>;
    try {
      answered = answer(decode(request), context);
    } catch (error) {
      fail(error);
      return;
    }
    if (!(answered instanceof Promise)) {
      reply(answered);
      return;
    }
    // Only a call that waits can be given up on: the signal aborts on cancel or deadline, and
    // the client is told at once, whatever the answer is still waiting for (the work stops on
    // the signal; a wrapper may be waiting on a backing service that does not answer).
    let ended = false;
    const end =
      <T>(then: (value: T) => void) =>
      (value: T): void => {
        if (ended) return;
        ended = true;
        then(value);
      };
    const stop = abortOnCancelOrDeadline(call, context.call.deadline, (reason) => {
      abortController().abort(reason);
      end(fail)(reason);
    });
    answered.then(end(reply), end(fail)).finally(stop);
  };
}
