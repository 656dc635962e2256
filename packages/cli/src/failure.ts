import { status } from '@grpc/grpc-js';
import {
  ConnectError,
  ConnectionLostError,
  isServiceError,
  RequestCancelledError,
} from './calc-connection.js';
import { CommandError } from './command.js';
import { UsageError } from './usage-error.js';

/** What to tell the user about a failure, and the exit code it earns. */
export interface Failure {
  /** One line, no stack trace. */
  readonly message: string;
  /** 2 for usage errors, 64 + the gRPC status code for server errors, 1 otherwise. */
  readonly exitCode: number;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** Server errors exit with this plus the gRPC status code, as grpcurl does. */
const EXIT_STATUS_BASE = 64;

/** The one place that turns any error into a message and an exit code. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CommandError || error instanceof UsageError) {
    return { message: error.message, exitCode: EXIT_USAGE };
  }
  if (error instanceof ConnectError) {
    return { message: error.message, exitCode: EXIT_FAILURE };
  }
  if (error instanceof RequestCancelledError) {
    return {
      message: `${statusName(status.CANCELLED)}: request cancelled`,
      exitCode: EXIT_STATUS_BASE + status.CANCELLED,
    };
  }
  if (error instanceof ConnectionLostError) {
    const { code, details } = error.cause;
    return {
      message: `${statusName(code)}: ${oneLine(details)}; ${error.message}, reconnecting on the next command`,
      exitCode: EXIT_STATUS_BASE + code,
    };
  }
  if (isServiceError(error)) {
    return {
      message: `${statusName(error.code)}: ${oneLine(error.details)}`,
      exitCode: EXIT_STATUS_BASE + error.code,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `unexpected error: ${oneLine(message)}`, exitCode: EXIT_FAILURE };
}

function statusName(code: number): string {
  return status[code] ?? `status ${code}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
