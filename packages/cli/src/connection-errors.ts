// What a call to the server can fail with beyond the server's own status: the errors calcli
// tells the user about in its own words (failure.ts).
import type { ServiceError } from '@grpc/grpc-js';
import type { ServerAddress } from './address.js';
import { formatDuration } from './duration.js';

/** The server could not be reached within the connect timeout. */
export class ConnectError extends Error {
  override readonly name = 'ConnectError';
}

/** The user cancelled a request that was in flight. */
export class RequestCancelledError extends Error {
  override readonly name = 'RequestCancelledError';
  constructor() {
    super('request cancelled');
  }
}

/** A call failed because the connection to the server was lost; the next call dials again. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  constructor(
    readonly address: ServerAddress,
    override readonly cause: ServiceError,
    /** Why, as the connection diagnosis puts it (refused, not found...), when it could tell. */
    readonly reason: string | undefined,
  ) {
    super(`lost the connection to ${address.display}${reason === undefined ? '' : `: ${reason}`}`);
  }
}

/** A call ran past its deadline (--max-time); grpc-js's own account of it is the cause. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(
    readonly timeoutMs: number,
    override readonly cause: ServiceError,
  ) {
    super(`deadline of ${formatDuration(timeoutMs)} exceeded`);
  }
}

/** True for the errors grpc-js hands to a call's callback. */
export function isServiceError(error: unknown): error is ServiceError {
  return (
    error instanceof Error &&
    typeof (error as Partial<ServiceError>).code === 'number' &&
    typeof (error as Partial<ServiceError>).details === 'string'
  );
}
