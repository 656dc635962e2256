import type { handleServerStreamingCall } from '@grpc/grpc-js';
import type { Answerer } from '../request/answerer.js';
import type { CalcMethod, CalcReply, CalcRequest } from '../request/calc-calls.js';
import type { HeavyProgress } from '../request/call-context.js';
import { abortOnCancelOrDeadline, callContextOf } from './call-context-of.js';
import { MalformedRequest } from './malformed-request.js';
import { grpcErrorOf } from './to-grpc-status.js';
import type { CallDeps } from './unary-call.js';

/** How a Watch RPC of method M reads its request and writes its messages. */
export interface WatchShape<M extends CalcMethod, Req, Res> {
  /** The RPC's name in the contract, e.g. "WatchNthPrimes". */
  readonly rpc: string;
  readonly decode: (message: Req) => CalcRequest<M>;
  /** The message that reports the heavy targets' latest progress. */
  readonly progress: (progress: readonly HeavyProgress[]) => Res;
  /** The last message: the answer, as the unary RPC of M would give it. */
  readonly answer: (reply: CalcReply<M>) => Res;
}

/**
 * A Watch RPC, a server stream: the answer of method M, preceded by a message for every step of
 * the heavy targets' progress. The call is answered by the same answerer as the unary RPC (it is
 * that request with a progress listener), so it is validated, logged, measured and recorded the
 * same way, under its own RPC name.
 */
export function watchCall<M extends CalcMethod, Req, Res>(
  shape: WatchShape<M, Req, Res>,
  deps: CallDeps,
): handleServerStreamingCall<Req, Res> {
  const { answer, requestTimeoutMs, logger } = deps;
  const answerer: Answerer = answer;
  return (call) => {
    let ended = false;
    const fail = (error: unknown): void => {
      if (ended) return;
      ended = true;
      call.emit('error', grpcErrorOf(error, logger));
    };
    const request: Req | MalformedRequest = call.request;
    if (request instanceof MalformedRequest) {
      fail(request.toError());
      return;
    }
    const controller = new AbortController();
    const context = callContextOf(call, {
      rpc: shape.rpc,
      rpcType: 'server_stream',
      requestTimeoutMs,
      signal: () => controller.signal,
      onProgress: (progress) => {
        if (ended || call.cancelled) return;
        call.write(shape.progress(progress));
      },
    });
    // The client is told at once, whatever the answer still waits for (see unary-call.ts).
    const finish = abortOnCancelOrDeadline(call, context.call.deadline, (reason) => {
      controller.abort(reason);
      fail(reason);
    });
    Promise.resolve()
      .then(() => answerer(shape.decode(request), context))
      .then(
        (reply) => {
          finish();
          if (ended) return;
          ended = true;
          call.write(shape.answer(reply));
          call.end();
        },
        (error: unknown) => {
          finish();
          fail(error);
        },
      )
      .catch(fail);
  };
}
