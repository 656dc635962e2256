import { type ServiceError, status } from '@grpc/grpc-js';
import { CommandError } from './command.js';
import {
  ConnectError,
  ConnectionLostError,
  DeadlineExceededError,
  isServiceError,
  RequestCancelledError,
} from './connection-errors.js';
import { UsageError } from './usage-error.js';

/** What to tell the user about a failure, and the exit code it earns. */
export interface Failure {
  /**
   * What kind of failure, for --json: the gRPC status name of a server's answer or of a lost
   * connection (`OUT_OF_RANGE`, `UNAVAILABLE`), `USAGE` for a command calcli could not parse,
   * `CONNECT` when the server cannot be reached, `UNKNOWN` otherwise.
   */
  readonly code: string;
  /** One line, no stack trace. */
  readonly message: string;
  /** 2 for usage errors, 64 + the gRPC status code for server errors, 1 otherwise. */
  readonly exitCode: number;
  /** The connection was lost; the next command dials again (the REPL says so). */
  readonly connectionLost: boolean;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Server errors exit with this plus the gRPC status code, as grpcurl does. */
const EXIT_STATUS_BASE = 64;

/**
 * The one place that turns any error into a message and an exit code. Where calcli's message
 * replaces grpc-js's text (a deadline, a lost connection), `verbose` (-v) adds that text at the end.
 */
export function describeFailure(error: unknown, verbose = false): Failure {
  const failure = (code: string, message: string, exitCode: number, connectionLost = false) => ({
    code,
    message,
    exitCode,
    connectionLost,
  });
  if (error instanceof CommandError || error instanceof UsageError) {
    return failure('USAGE', error.message, EXIT_USAGE);
  }
  if (error instanceof ConnectError) {
    return failure('CONNECT', error.message, EXIT_FAILURE);
  }
  if (error instanceof RequestCancelledError) {
    const name = statusName(status.CANCELLED);
    return failure(name, `${name}: request cancelled`, EXIT_STATUS_BASE + status.CANCELLED);
  }
  // grpc-js's own text for these ("Deadline exceeded after 1.001s,name resolution: ...", "No
  // connection established. Last error: ...") says nothing that calcli's does not say better.
  const grpcDetail = (cause: ServiceError): string =>
    verbose ? ` (grpc-js: ${oneLine(cause.details)})` : '';
  if (error instanceof DeadlineExceededError) {
    const name = statusName(status.DEADLINE_EXCEEDED);
    return failure(
      name,
      `${name}: ${error.message}${grpcDetail(error.cause)}`,
      EXIT_STATUS_BASE + status.DEADLINE_EXCEEDED,
    );
  }
  if (error instanceof ConnectionLostError) {
    const { code } = error.cause;
    return failure(
      statusName(code),
      `${statusName(code)}: ${error.message}${grpcDetail(error.cause)}`,
      EXIT_STATUS_BASE + code,
      true,
    );
  }
  if (isServiceError(error)) {
    const name = statusName(error.code);
    return failure(name, `${name}: ${oneLine(error.details)}`, EXIT_STATUS_BASE + error.code);
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure('UNKNOWN', `unexpected error: ${oneLine(message)}`, EXIT_FAILURE);
}

function statusName(code: number): string {
  return status[code] ?? `status ${code}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
