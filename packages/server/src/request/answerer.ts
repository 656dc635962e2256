// The contract every layer of the request path shares, at its bottom: an answerer takes a
// decoded request and its call context and gives the reply of the same method; wrappers put
// logging, metrics, the event log and access around one. It knows neither gRPC nor xstate.
import type { CalcMethod, CalcReply, CalcRequest } from './calc-calls.js';
import type { CallContext } from './call-context.js';
import { type CallStatus, callStatusOf, OK_STATUS } from './call-status.js';

/** The reply to a call of method M, or a promise of it (a plain value keeps cheap calls synchronous). */
export type Answer<M extends CalcMethod> = CalcReply<M> | Promise<CalcReply<M>>;

/**
 * Answers one decoded call with the reply of its own method; throws or rejects with the error
 * the one mapper (call-status.ts) turns into a status.
 */
export type Answerer = <M extends CalcMethod>(
  request: CalcRequest<M>,
  context: CallContext,
) => Answer<M>;

/** Something around an answerer (logging, metrics, the event log, access). */
export type AnswererWrapper = (next: Answerer) => Answerer;

/** How a call ended, as its client sees it. */
export interface AnswerOutcome {
  readonly status: CallStatus;
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

function isPromise<M extends CalcMethod>(answer: Answer<M>): answer is Promise<CalcReply<M>> {
  return typeof (answer as Promise<CalcReply<M>>).then === 'function';
}

/**
 * A wrapper that tells `observer` when each call starts and how it ended, keeping a synchronous
 * answer synchronous. A hook that throws is reported to `onError`, never to the call.
 */
export function observing<T>(
  observer: AnswerObserver<T>,
  onError: (error: unknown) => void,
): AnswererWrapper {
  return (next) =>
    <M extends CalcMethod>(request: CalcRequest<M>, context: CallContext): Answer<M> => {
      const startedAt = performance.now();
      let token: T | undefined;
      try {
        token = observer.started(request, context);
      } catch (error) {
        onError(error);
      }
      const end = (reply: CalcReply | undefined, error: unknown, failed: boolean): void => {
        const durationMs = Math.round((performance.now() - startedAt) * 1000) / 1000;
        const outcome = failed
          ? { status: callStatusOf(error), error, durationMs }
          : { status: OK_STATUS, reply, durationMs };
        try {
          observer.ended(request, context, outcome, token as T);
        } catch (hookError) {
          onError(hookError);
        }
      };
      let answer: Answer<M>;
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
