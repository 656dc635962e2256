// The one place errors become a call's status: domain errors keep their code and message, an
// abort is CANCELLED, anything else is a generic INTERNAL (internals never reach the client).
// Named as gRPC names its codes; the gRPC adapter turns a name into grpc-js's number.
import { InvalidArgumentError, OutOfRangeError } from '@twelvefa/calc';
import {
  CancelledError,
  DeadlineExceededError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from '../errors.js';

/** The gRPC status codes the service answers with. */
export type StatusCode =
  | 'OK'
  | 'CANCELLED'
  | 'INVALID_ARGUMENT'
  | 'DEADLINE_EXCEEDED'
  | 'PERMISSION_DENIED'
  | 'RESOURCE_EXHAUSTED'
  | 'OUT_OF_RANGE'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'UNAUTHENTICATED';

/** What the client sees: a status code and a message safe to show. */
export interface CallStatus {
  readonly code: StatusCode;
  readonly details: string;
  /**
   * When a retry can succeed (a rate limit's refill), sent as the `grpc-retry-pushback-ms`
   * trailer of gRPC's retry design (A6), which grpc-js and grpc-go clients honour.
   */
  readonly retryAfterMs?: number;
}

export const OK_STATUS: CallStatus = Object.freeze({ code: 'OK', details: '' });

/** The only message an unexpected failure shows the client; the stack stays in the server log. */
export const INTERNAL_MESSAGE = 'internal error';

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** The status a failed call ends with. */
export function callStatusOf(error: unknown): CallStatus {
  if (error instanceof InvalidArgumentError) {
    return { code: 'INVALID_ARGUMENT', details: error.message };
  }
  if (error instanceof OutOfRangeError) return { code: 'OUT_OF_RANGE', details: error.message };
  if (error instanceof ResourceExhaustedError) {
    const exhausted: CallStatus = { code: 'RESOURCE_EXHAUSTED', details: error.message };
    return error.retryAfterMs === undefined
      ? exhausted
      : { ...exhausted, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof UnauthenticatedError) {
    return { code: 'UNAUTHENTICATED', details: error.message };
  }
  if (error instanceof PermissionDeniedError) {
    return { code: 'PERMISSION_DENIED', details: error.message };
  }
  if (error instanceof DeadlineExceededError) {
    return { code: 'DEADLINE_EXCEEDED', details: error.message };
  }
  if (error instanceof CancelledError || isAbort(error)) {
    return { code: 'CANCELLED', details: new CancelledError().message };
  }
  if (error instanceof UnavailableError) return { code: 'UNAVAILABLE', details: error.message };
  return { code: 'INTERNAL', details: INTERNAL_MESSAGE };
}
