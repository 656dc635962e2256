import type { Logger } from '../logger.js';
import type { AnswerObserver } from './answerer.js';
import type { TransitionWatcher } from './request-transitions.js';

/** One `request` line per call: request id, client, method, status and duration. */
export function requestLog(logger: Logger): AnswerObserver<void> {
  return {
    started: () => undefined,
    ended: (_, context, outcome) => {
      logger.info(
        {
          requestId: context.call.requestId,
          client: context.client,
          method: context.call.rpc,
          status: outcome.status.code,
          durationMs: outcome.durationMs,
        },
        'request',
      );
    },
  };
}

/** A `request transition` line per microstep of each request actor, at debug level. */
export function logTransitions(logger: Logger): TransitionWatcher {
  return ({ call }) =>
    (transition) =>
      logger.debug(
        {
          requestId: call.requestId,
          method: call.rpc,
          event: transition.event.type,
          state: transition.state,
        },
        'request transition',
      );
}
