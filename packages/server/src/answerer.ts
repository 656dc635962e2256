import type { CalcMethod, CalcReply, CalcRequest } from './calc-request.js';
import { type GrpcStatus, grpcStatusOf } from './grpc/to-grpc-status.js';
import type { HeavyProgressListener } from './request-machine.js';

/** What an answerer knows about the call it answers. */
export interface CallContext {
  readonly requestId: string;
  readonly method: CalcMethod;
  /** Epoch ms: the client's deadline, or the arrival time + REQUEST_TIMEOUT_MS when it set none. */
  readonly deadline: number;
  /** Aborts when the client cancels or the deadline passes (reason: CancelledError, DeadlineExceededError). */
  readonly signal: AbortSignal;
  /** WatchNthPrimes: told the heavy n's progress while they are computed. */
  readonly onProgress?: HeavyProgressListener;
  /** The peer's address without its port, e.g. "127.0.0.1", "::1" or "unix:/run/calc.sock". */
  readonly peer: string;
  /** The token of the call's `authorization: Bearer` header: for authentication only, never logged. */
  readonly credential: string | undefined;
  /**
   * Who is calling, for rate limits and the event log: the client named by its API key once
   * authenticated (access/authenticating.ts), else the peer's address.
   */
  readonly client: string;
}

/**
 * Answers one decoded call: the reply, or a promise of it (a plain value keeps cheap calls
 * synchronous); throws or rejects with the error the one mapper turns into a gRPC status.
 */
export type Answerer = (
  request: CalcRequest,
  context: CallContext,
) => CalcReply | Promise<CalcReply>;

/** Something around an answerer (logging, metrics, the event log). */
export type AnswererWrapper = (next: Answerer) => Answerer;

/** How a call ended, as its client sees it. */
export interface AnswerOutcome {
  readonly status: GrpcStatus;
  /** The reply, when the status is OK. */
  readonly reply?: CalcReply;
  /** What failed, when it is not (for a log line's stack). */
  readonly error?: unknown;
  readonly durationMs: number;
}

/** Hooks a wrapper built with observing() runs; they must be quick (a throw is reported, not sent). */
export interface AnswerObserver<T> {
  /** The call was decoded and is about to be answered; what it returns comes back in ended(). */
  started(request: CalcRequest, context: CallContext): T;
  ended(request: CalcRequest, context: CallContext, outcome: AnswerOutcome, started: T): void;
}

function isPromise(value: CalcReply | Promise<CalcReply>): value is Promise<CalcReply> {
  return typeof (value as Promise<CalcReply>).then === 'function';
}

const OK: GrpcStatus = Object.freeze({ code: 0, details: '' });

/**
 * A wrapper that tells `observer` when each call starts and how it ended, keeping a synchronous
 * answer synchronous. A hook that throws is reported to `onError`, never to the call.
 */
export function observing<T>(
  observer: AnswerObserver<T>,
  onError: (error: unknown) => void,
): AnswererWrapper {
  return (next) => (request, context) => {
    const startedAt = performance.now();
    let token: T | undefined;
    try {
      token = observer.started(request, context);
    } catch (error) {
      onError(error);
    }
    const end = (reply: CalcReply | undefined, error: unknown, failed: boolean): void => {
      const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
      const status = failed ? grpcStatusOf(error) : OK;
      const outcome = failed ? { status, error, durationMs } : { status, reply, durationMs };
      try {
        observer.ended(request, context, outcome, token as T);
      } catch (hookError) {
        onError(hookError);
      }
    };
    let answer: CalcReply | Promise<CalcReply>;
    try {
      answer = next(request, context);
    } catch (error) {
      end(undefined, error, true);
      throw error;
    }
    if (!isPromise(answer)) {
      end(answer, undefined, false);
      return answer;
    }
    return answer.then(
      (reply) => {
        end(reply, undefined, false);
        return reply;
      },
      (error: unknown) => {
        end(undefined, error, true);
        throw error;
      },
    );
  };
}

/** Applies wrappers to an answerer, the first listed outermost. */
export function wrapAnswerer(answer: Answerer, wrappers: readonly AnswererWrapper[]): Answerer {
  return wrappers.reduceRight((inner, wrap) => wrap(inner), answer);
}
