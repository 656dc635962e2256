import type { handleServerStreamingCall } from '@grpc/grpc-js';
import type { WatchNthPrimesRequest, WatchNthPrimesResponse } from '@twelvefa/proto';
import type { CallContext } from '../answerer.js';
import type { HeavyProgress } from '../request-machine.js';
import { MalformedRequest } from './malformed-request.js';
import { toGrpcStatus } from './to-grpc-status.js';
import {
  abortOnCancelOrDeadline,
  callerOf,
  deadlineOf,
  requestIdOf,
  type UnaryCallDeps,
} from './unary-call.js';

/**
 * WatchNthPrimes: the NthPrimes answer, preceded by a message for every step of the heavy n's
 * progress. The call is answered by the same answerer as NthPrimes (it is an NthPrimes request
 * with a progress listener), so it is validated, logged, measured and recorded the same way.
 */
export function watchNthPrimesCall(
  deps: UnaryCallDeps,
): handleServerStreamingCall<WatchNthPrimesRequest, WatchNthPrimesResponse> {
  const { answer, requestTimeoutMs, logger } = deps;
  return (call) => {
    let ended = false;
    const fail = (error: unknown): void => {
      if (ended) return;
      ended = true;
      call.emit('error', toGrpcStatus(error, logger));
    };
    const request: WatchNthPrimesRequest | MalformedRequest = call.request;
    if (request instanceof MalformedRequest) {
      fail(request.toError());
      return;
    }
    const controller = new AbortController();
    const context: CallContext = {
      requestId: requestIdOf(call.metadata),
      method: 'NthPrimes',
      deadline: deadlineOf(call, requestTimeoutMs),
      ...callerOf(call),
      signal: controller.signal,
      onProgress: (progress: readonly HeavyProgress[]) => {
        if (call.cancelled) return;
        const n = progress.map(({ n, done, total }) => ({
          n: BigInt(n),
          partsDone: done,
          partsTotal: total,
        }));
        call.write({ progress: { n } });
      },
    };
    // The client is told at once, whatever the answer still waits for (see unary-call.ts).
    const finish = abortOnCancelOrDeadline(call, context.deadline, (reason) => {
      controller.abort(reason);
      fail(reason);
    });
    let answered: ReturnType<typeof answer>;
    try {
      answered = answer({ method: 'NthPrimes', n: request.n }, context);
    } catch (error) {
      finish();
      fail(error);
      return;
    }
    Promise.resolve(answered)
      .then(
        (reply) => {
          finish();
          if (ended) return;
          if (reply.method !== 'NthPrimes')
            throw new Error('WatchNthPrimes answered another method');
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
