import type { handleServerStreamingCall } from '@grpc/grpc-js';
import type { WatchNthPrimesRequest, WatchNthPrimesResponse } from '@twelvefa/proto';
import type { HeavyProgress } from '../request/call-context.js';
import { abortOnCancelOrDeadline, callContextOf } from './call-context-of.js';
import { MalformedRequest } from './malformed-request.js';
import { grpcErrorOf } from './to-grpc-status.js';
import type { CallDeps } from './unary-call.js';

/**
 * WatchNthPrimes, a server stream: the NthPrimes answer, preceded by a message for every step
 * of the heavy n's progress. The call is answered by the same answerer as NthPrimes (it is an
 * NthPrimes request with a progress listener), so it is validated, logged, measured and
 * recorded the same way, under its own RPC name.
 */
export function watchNthPrimesCall(
  deps: CallDeps,
): handleServerStreamingCall<WatchNthPrimesRequest, WatchNthPrimesResponse> {
  const { answer, requestTimeoutMs, logger } = deps;
  return (call) => {
    let ended = false;
    const fail = (error: unknown): void => {
      if (ended) return;
      ended = true;
      call.emit('error', grpcErrorOf(error, logger));
    };
    const request: WatchNthPrimesRequest | MalformedRequest = call.request;
    if (request instanceof MalformedRequest) {
      fail(request.toError());
      return;
    }
    const controller = new AbortController();
    const context = callContextOf(call, {
      rpc: 'WatchNthPrimes',
      rpcType: 'server_stream',
      requestTimeoutMs,
      signal: () => controller.signal,
      onProgress: (progress: readonly HeavyProgress[]) => {
        if (ended || call.cancelled) return;
        const n = progress.map(({ n, done, total }) => ({
          n: BigInt(n),
          partsDone: done,
          partsTotal: total,
        }));
        call.write({ progress: { n } });
      },
    });
    // The client is told at once, whatever the answer still waits for (see unary-call.ts).
    const finish = abortOnCancelOrDeadline(call, context.call.deadline, (reason) => {
      controller.abort(reason);
      fail(reason);
    });
    Promise.resolve()
      .then(() => answer({ method: 'NthPrimes', n: request.n }, context))
      .then(
        (reply) => {
          finish();
          if (ended) return;
          ended = true;
          call.write({ answer: { nthPrimes: [...reply.nthPrimes] } });
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
