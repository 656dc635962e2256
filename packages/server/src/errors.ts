/**
 * Errors of the service itself (the calc core brings InvalidArgumentError and
 * OutOfRangeError). Each class maps to exactly one gRPC status in to-grpc-status.ts.
 */

/**
 * Too much asked at once: a batch above MAX_BATCH, MAX_IN_FLIGHT heavy jobs already running, or
 * a client over its rate limit, which says when it may try again.
 */
export class ResourceExhaustedError extends Error {
  override name = 'ResourceExhaustedError';
  constructor(
    message: string,
    /** When retrying can succeed (a rate limit's refill); sent as grpc-retry-pushback-ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The call carries no credential, or one the server does not know. */
export class UnauthenticatedError extends Error {
  override name = 'UnauthenticatedError';
}

/** The caller is known, but its key does not allow this method. */
export class PermissionDeniedError extends Error {
  override name = 'PermissionDeniedError';
}

/** The call's deadline passed before the answer was ready. */
export class DeadlineExceededError extends Error {
  override name = 'DeadlineExceededError';
  constructor(message = 'the deadline passed before the answer was ready') {
    super(message);
  }
}

/** The client cancelled the call. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'the call was cancelled by the client') {
    super(message);
  }
}

/** A backing service (Redis) is unreachable or the server is shutting down; safe to retry. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}
