import { randomUUID } from 'node:crypto';
import { statusName } from '../grpc/to-grpc-status.js';
import type { ObservedOutcome, ObservedRequest, RequestObserver } from '../request-observer.js';
import { commandArgs, replyResult } from './calc-event.js';
import type { EventLog } from './event-log.js';

interface Command {
  readonly id: string;
}

/**
 * Turns every request into a `command` event when it starts and a `result` or
 * `error` event when it ends, appended to the event log.
 */
export class EventRecorder implements RequestObserver {
  // Keyed by the request object, so a client reusing an x-request-id still
  // gets one command id per call.
  private readonly commands = new WeakMap<ObservedRequest, Command>();

  constructor(private readonly log: Pick<EventLog, 'append'>) {}

  requestStarted(observed: ObservedRequest): void {
    const command = { id: randomUUID() };
    this.commands.set(observed, command);
    this.log.append({
      type: 'command',
      id: command.id,
      requestId: observed.requestId,
      method: observed.request.method,
      args: commandArgs(observed.request),
      at: new Date().toISOString(),
    });
  }

  requestEnded(observed: ObservedRequest, outcome: ObservedOutcome): void {
    const command = this.commands.get(observed);
    if (command === undefined) return;
    this.commands.delete(observed);
    const common = {
      commandId: command.id,
      requestId: observed.requestId,
      method: observed.request.method,
      durationMs: outcome.durationMs,
      at: new Date().toISOString(),
    };
    if (outcome.reply !== undefined) {
      this.log.append({ type: 'result', ...common, result: replyResult(outcome.reply) });
    } else {
      this.log.append({
        type: 'error',
        ...common,
        code: statusName(outcome.code),
        message: outcome.details ?? '',
      });
    }
  }
}
