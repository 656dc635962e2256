import { randomUUID } from 'node:crypto';
import type { handleUnaryCall, Metadata, ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type { CalcMethod, CalcReply, CalcRequest } from '../calc-request.js';
import type { Logger } from '../logger.js';
import type { RequestOutcome } from '../request-machine.js';
import type { ObservedRequest, RequestObserver } from '../request-observer.js';
import { statusName, toGrpcStatus } from './to-grpc-status.js';

/** Why a call ends early: the client cancelled it, or its deadline passed. */
export type CallInterruption = 'CANCEL' | 'DEADLINE';

/** What an answerer knows about the call it answers. */
export interface CallContext {
  readonly requestId: string;
  readonly method: CalcMethod;
  /** Epoch ms: the client's deadline, or now + REQUEST_TIMEOUT_MS when it set none. */
  readonly deadline: number;
}

/** A started answer: it calls `done` exactly once; `interrupt` asks it to stop early. */
export interface Answer {
  interrupt(reason: CallInterruption): void;
}

/** Answers one decoded call; the actor-based answerer and the benchmark's plain one share this shape. */
export type Answerer = (
  request: CalcRequest,
  context: CallContext,
  done: (outcome: RequestOutcome) => void,
) => Answer;

/** What every unary handler needs. */
export interface UnaryCallDeps {
  readonly logger: Logger;
  readonly requestTimeoutMs: number;
  readonly answer: Answerer;
  /** Told when each call starts and ends (metrics, event log); must not slow the call. */
  readonly observer?: RequestObserver;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestIdOf(metadata: Metadata): string {
  const [given] = metadata.get('x-request-id');
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

function deadlineOf(call: ServerUnaryCall<unknown, unknown>, timeoutMs: number): number {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : Date.now() + timeoutMs;
}

/**
 * Adapts an answerer to a grpc-js unary handler: decodes, forwards the
 * client's cancellation, maps errors through the one mapper, logs one line
 * per request with method, status, duration and request id, and tells the
 * observer when the call starts and how it ended.
 */
export function unaryCall<Req, Res>(
  method: CalcMethod,
  decode: (message: Req) => CalcRequest,
  encode: (reply: CalcReply) => Res,
  deps: UnaryCallDeps,
): handleUnaryCall<Req, Res> {
  const { logger, requestTimeoutMs, answer, observer } = deps;
  return (call, callback) => {
    const started = performance.now();
    const context: CallContext = {
      requestId: requestIdOf(call.metadata),
      method,
      deadline: deadlineOf(call, requestTimeoutMs),
    };
    const request = decode(call.request);
    const observed: ObservedRequest = { requestId: context.requestId, request };
    let finished = false;
    let onCancelled: (() => void) | undefined;
    const done = (outcome: RequestOutcome): void => {
      if (finished) return;
      finished = true;
      if (onCancelled !== undefined) call.off('cancelled', onCancelled);
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      let response: Res | undefined;
      let error: Partial<ServiceError> | null = null;
      if (outcome.ok) {
        try {
          response = encode(outcome.reply);
        } catch (encodeError) {
          outcome = { ok: false, error: encodeError };
        }
      }
      if (!outcome.ok) {
        const grpcStatus = toGrpcStatus(outcome.error, logger);
        error = { code: grpcStatus.code, details: grpcStatus.details };
      }
      const code = error?.code ?? status.OK;
      logger.info(
        { requestId: context.requestId, method, status: statusName(code), durationMs },
        'request',
      );
      callback(error, response);
      observer?.requestEnded?.(observed, {
        code,
        durationMs,
        ...(outcome.ok ? { reply: outcome.reply } : { details: error?.details ?? '' }),
      });
    };
    observer?.requestStarted?.(observed);
    const running = answer(request, context, done);
    if (finished) return;
    onCancelled = () => running.interrupt(Date.now() >= context.deadline ? 'DEADLINE' : 'CANCEL');
    call.once('cancelled', onCancelled);
    if (call.cancelled) onCancelled();
  };
}
