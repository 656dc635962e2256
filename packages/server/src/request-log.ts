import type { AnswerObserver } from './answerer.js';
import { statusName } from './grpc/to-grpc-status.js';
import type { Logger } from './logger.js';
import type { TransitionWatcher } from './request-transitions.js';

/** One `request` line per call: request id, client, method, status and duration. */
export function requestLog(logger: Logger): AnswerObserver<void> {
  return {
    started: () => undefined,
    ended: (_, context, outcome) => {
      logger.info(
        {
          requestId: context.requestId,
          client: context.client,
          method: context.method,
          status: statusName(outcome.status.code),
          durationMs: outcome.durationMs,
        },
        'request',
      );
    },
  };
}

/** A `request transition` line per microstep of each request actor, at debug level. */
export function logTransitions(logger: Logger): TransitionWatcher {
  return (call) => (transition) =>
    logger.debug(
      {
        requestId: call.requestId,
        method: call.method,
        event: transition.event.type,
        state: transition.state,
      },
      'request transition',
    );
}
