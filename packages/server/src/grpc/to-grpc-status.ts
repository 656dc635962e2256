import { Metadata, status } from '@grpc/grpc-js';
import { InvalidArgumentError, OutOfRangeError } from '@twelvefa/calc';
import {
  CancelledError,
  DeadlineExceededError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from '../errors.js';
import type { Logger } from '../logger.js';

/** What the client sees: a status code and a message safe to show. */
export interface GrpcStatus {
  readonly code: status;
  readonly details: string;
  /**
   * Trailers: `grpc-retry-pushback-ms` when the server knows when a retry can succeed, the
   * server pushback of gRPC's retry design (A6), which grpc-js and grpc-go clients honour.
   */
  readonly metadata?: Metadata;
}

/** The only message an unexpected failure shows the client; the stack stays in the server log. */
export const INTERNAL_MESSAGE = 'internal error';

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * The one place errors become gRPC statuses: domain errors keep their code and message, an
 * abort is CANCELLED, anything else is a generic INTERNAL (internals never reach the client).
 */
export function grpcStatusOf(error: unknown): GrpcStatus {
  if (error instanceof InvalidArgumentError) {
    return { code: status.INVALID_ARGUMENT, details: error.message };
  }
  if (error instanceof OutOfRangeError)
    return { code: status.OUT_OF_RANGE, details: error.message };
  if (error instanceof ResourceExhaustedError) {
    const exhausted = { code: status.RESOURCE_EXHAUSTED, details: error.message };
    if (error.retryAfterMs === undefined) return exhausted;
    const metadata = new Metadata();
    metadata.set('grpc-retry-pushback-ms', String(Math.ceil(error.retryAfterMs)));
    return { ...exhausted, metadata };
  }
  if (error instanceof UnauthenticatedError) {
    return { code: status.UNAUTHENTICATED, details: error.message };
  }
  if (error instanceof PermissionDeniedError) {
    return { code: status.PERMISSION_DENIED, details: error.message };
  }
  if (error instanceof DeadlineExceededError) {
    return { code: status.DEADLINE_EXCEEDED, details: error.message };
  }
  if (error instanceof CancelledError || isAbort(error)) {
    return { code: status.CANCELLED, details: new CancelledError().message };
  }
  if (error instanceof UnavailableError)
    return { code: status.UNAVAILABLE, details: error.message };
  return { code: status.INTERNAL, details: INTERNAL_MESSAGE };
}

/** grpcStatusOf, logging an INTERNAL one with its stack: what the gRPC adapter sends. */
export function toGrpcStatus(error: unknown, logger: Logger): GrpcStatus {
  const mapped = grpcStatusOf(error);
  if (mapped.code === status.INTERNAL) logger.error({ err: error }, 'internal error');
  return mapped;
}

/** The status name a log line carries, e.g. "OUT_OF_RANGE". */
export function statusName(code: status): string {
  return status[code] ?? `STATUS_${code}`;
}
