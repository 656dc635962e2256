import { randomUUID } from 'node:crypto';
import type { handleUnaryCall, Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import type { Answerer, CallContext } from '../answerer.js';
import type { CalcMethod, CalcReply, CalcRequest } from '../calc-request.js';
import { CancelledError, DeadlineExceededError } from '../errors.js';
import type { Logger } from '../logger.js';
import { atDeadline } from './deadline-timer.js';
import { MalformedRequest } from './malformed-request.js';
import { toGrpcStatus } from './to-grpc-status.js';

/** What every unary handler needs. */
export interface UnaryCallDeps {
  readonly answer: Answerer;
  /** Deadline of a call whose client set none. */
  readonly requestTimeoutMs: number;
  /** For the one error mapper, which logs an unexpected failure with its stack. */
  readonly logger: Logger;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The client's x-request-id when it is a sane one, else a fresh id. */
export function requestIdOf(metadata: Metadata): string {
  const [given] = metadata.get('x-request-id');
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** The peer's address without its port: "ipv4:1.2.3.4:5" and "[::1]:5" become "1.2.3.4" and "::1". */
export function peerAddress(peer: string): string {
  const bare = peer.replace(/^ipv[46]:/, '');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(bare);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const hostPort = /^([^:]+):\d+$/.exec(bare);
  return hostPort?.[1] ?? bare;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `authorization: Bearer <token>` header, if the call has one. */
export function bearerToken(metadata: Metadata): string | undefined {
  const [header] = metadata.get('authorization');
  return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
}

/** Who a call comes from, as CallContext carries it before any authentication. */
export function callerOf(
  call: Pick<ServerUnaryCall<unknown, unknown>, 'getPeer' | 'metadata'>,
): Pick<CallContext, 'peer' | 'credential' | 'client'> {
  const peer = peerAddress(call.getPeer());
  return { peer, credential: bearerToken(call.metadata), client: peer };
}

/** Epoch ms the call must end by: the client's deadline, or now + timeoutMs without one. */
export function deadlineOf(
  call: Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline'>,
  timeoutMs: number,
): number {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : Date.now() + timeoutMs;
}

/** The part of a grpc-js server call that says the client went away. */
interface CancellableCall {
  readonly cancelled: boolean;
  once(event: 'cancelled', listener: () => void): unknown;
  off(event: 'cancelled', listener: () => void): unknown;
}

/**
 * Calls `abort` with CancelledError when the client cancels, or DeadlineExceededError when the
 * deadline passes (grpc-js reports a passed deadline as a cancel too); returns the stop.
 */
export function abortOnCancelOrDeadline(
  call: CancellableCall,
  deadline: number,
  abort: (reason: Error) => void,
): () => void {
  const onCancelled = (): void =>
    abort(Date.now() >= deadline ? new DeadlineExceededError() : new CancelledError());
  const stopTimer = atDeadline(deadline, () => abort(new DeadlineExceededError()));
  call.once('cancelled', onCancelled);
  if (call.cancelled) onCancelled();
  return () => {
    stopTimer();
    call.off('cancelled', onCancelled);
  };
}

/**
 * Adapts an answerer to a grpc-js unary handler, and only that: decodes the request, gives the
 * answerer a signal that aborts when the client cancels or the deadline passes, encodes the
 * reply, and sends any error as the status the one mapper gives it.
 */
export function unaryCall<Req, Res>(
  method: CalcMethod,
  decode: (message: Req) => CalcRequest,
  encode: (reply: CalcReply) => Res,
  deps: UnaryCallDeps,
): handleUnaryCall<Req, Res> {
  const { answer, requestTimeoutMs, logger } = deps;
  return (call, callback) => {
    // Made when first asked for: a call answered synchronously never needs one, and an
    // AbortController per call is a measurable share of a cheap call's cost.
    let controller: AbortController | undefined;
    const abortController = (): AbortController => {
      controller ??= new AbortController();
      return controller;
    };
    const context: CallContext = {
      requestId: requestIdOf(call.metadata),
      method,
      deadline: deadlineOf(call, requestTimeoutMs),
      ...callerOf(call),
      get signal() {
        return abortController().signal;
      },
    };
    const fail = (error: unknown): void => {
      callback(toGrpcStatus(error, logger));
    };
    const reply = (value: CalcReply): void => {
      let response: Res;
      try {
        response = encode(value);
      } catch (error) {
        fail(error);
        return;
      }
      callback(null, response);
    };
    const request: Req | MalformedRequest = call.request;
    if (request instanceof MalformedRequest) {
      fail(request.toError());
      return;
    }
    let answered: CalcReply | Promise<CalcReply>;
    try {
      answered = answer(decode(request), context);
    } catch (error) {
      fail(error);
      return;
    }
    if (!(answered instanceof Promise)) {
      reply(answered);
      return;
    }
    // Only a call that waits can be given up on: the signal aborts on cancel or deadline, and
    // the client is told at once, whatever the answer is still waiting for (the work stops on
    // the signal; a wrapper may be waiting on a backing service that does not answer).
    let ended = false;
    const end =
      <T>(then: (value: T) => void) =>
      (value: T): void => {
        if (ended) return;
        ended = true;
        then(value);
      };
    const stop = abortOnCancelOrDeadline(call, context.deadline, (reason) => {
      abortController().abort(reason);
      end(fail)(reason);
    });
    answered.then(end(reply), end(fail)).finally(stop);
  };
}
