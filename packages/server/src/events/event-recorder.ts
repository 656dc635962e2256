import { randomUUID } from 'node:crypto';
import type { AnswerObserver } from '../request/answerer.js';
import { commandArgs, replyResult } from './calc-event.js';
import type { EventLog } from './event-log.js';

/**
 * Turns every call into a `command` event when it starts and a `result` or `error` event when
 * it ends, appended to the event log; one command id per call, whatever x-request-id says.
 */
export function eventRecorder(log: Pick<EventLog, 'append'>): AnswerObserver<string> {
  return {
    started: (request, context) => {
      const id = randomUUID();
      log.append({
        type: 'command',
        id,
        requestId: context.call.requestId,
        client: context.client,
        method: request.method,
        args: commandArgs(request),
        at: new Date().toISOString(),
      });
      return id;
    },
    ended: (request, context, outcome, commandId) => {
      const common = {
        commandId,
        requestId: context.call.requestId,
        method: request.method,
        durationMs: outcome.durationMs,
        at: new Date().toISOString(),
      };
      if (outcome.reply !== undefined) {
        log.append({ type: 'result', ...common, result: replyResult(outcome.reply) });
      } else {
        log.append({
          type: 'error',
          ...common,
          code: outcome.status.code,
          message: outcome.status.details,
        });
      }
    },
  };
}
