// A call's status as grpc-js sends it.
import { Metadata, status } from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import { type CallStatus, callStatusOf } from '../request/call-status.js';

/** What a grpc-js handler sends for a failed call. */
export interface GrpcStatus {
  readonly code: status;
  readonly details: string;
  /** Trailers: `grpc-retry-pushback-ms` when the status says when a retry can succeed. */
  readonly metadata?: Metadata;
}

/** A status as grpc-js takes it. */
export function toGrpcStatus({ code, details, retryAfterMs }: CallStatus): GrpcStatus {
  const grpcStatus = { code: status[code], details };
  if (retryAfterMs === undefined) return grpcStatus;
  const metadata = new Metadata();
  metadata.set('grpc-retry-pushback-ms', String(Math.ceil(retryAfterMs)));
  return { ...grpcStatus, metadata };
}

/** The status an error fails a call with, logging an INTERNAL one with its stack. */
export function grpcErrorOf(error: unknown, logger: Logger): GrpcStatus {
  const callStatus = callStatusOf(error);
  if (callStatus.code === 'INTERNAL') logger.error({ err: error }, 'internal error');
  return toGrpcStatus(callStatus);
}
