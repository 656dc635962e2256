import type { status } from '@grpc/grpc-js';
import type { CalcReply, CalcRequest } from './calc-request.js';

/** A call as observers see it: accepted, decoded, not yet answered. */
export interface ObservedRequest {
  readonly requestId: string;
  readonly request: CalcRequest;
}

/** How a call ended, as the client saw it. */
export interface ObservedOutcome {
  /** The gRPC status code sent to the client. */
  readonly code: status;
  /** The reply, when the code is OK. */
  readonly reply?: CalcReply;
  /** The status message, when the code is not OK (already safe to show). */
  readonly details?: string;
  readonly durationMs: number;
}

/**
 * Watches requests without taking part in them: metrics and the event log.
 * Hooks run on the request path, so they must be quick and must not throw;
 * combineObservers() guards them anyway.
 */
export interface RequestObserver {
  /** The call was decoded and handed to its answerer. */
  requestStarted?(request: ObservedRequest): void;
  /** The request actor left `state` (a dotted path such as "heavyWork.waitingForJobs") after `durationMs`. */
  requestStateLeft?(request: ObservedRequest, state: string, durationMs: number): void;
  /** The reply or error was sent. */
  requestEnded?(request: ObservedRequest, outcome: ObservedOutcome): void;
}

type Hook = keyof RequestObserver;

/**
 * One observer calling each of `observers` in turn; a hook that throws is reported to `onError`,
 * never to the request.
 */
export function combineObservers(
  observers: readonly RequestObserver[],
  onError: (error: unknown, hook: Hook) => void,
): RequestObserver {
  const call =
    <H extends Hook>(hook: H) =>
    (...args: Parameters<NonNullable<RequestObserver[H]>>): void => {
      for (const observer of observers) {
        const fn = observer[hook] as ((...a: typeof args) => void) | undefined;
        if (fn === undefined) continue;
        try {
          fn.apply(observer, args);
        } catch (error) {
          onError(error, hook);
        }
      }
    };
  // Only hooks someone implements: an absent requestStateLeft spares every request actor an
  // inspector.
  const has = (hook: Hook): boolean => observers.some((observer) => observer[hook] !== undefined);
  return {
    ...(has('requestStarted') && { requestStarted: call('requestStarted') }),
    ...(has('requestStateLeft') && { requestStateLeft: call('requestStateLeft') }),
    ...(has('requestEnded') && { requestEnded: call('requestEnded') }),
  };
}
