// What the gRPC adapters know of a call before answering it, as the answerer's CallContext.
import { randomUUID } from 'node:crypto';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { CancelledError, DeadlineExceededError } from '../errors.js';
import type { CallContext, HeavyProgressListener, RpcType } from '../request/call-context.js';
import { atDeadline } from './deadline-timer.js';

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

/** Epoch ms the call must end by: the client's deadline, or now + timeoutMs without one. */
export function deadlineOf(
  call: Pick<ServerUnaryCall<unknown, unknown>, 'getDeadline'>,
  timeoutMs: number,
): number {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? ms : Date.now() + timeoutMs;
}

/** The part of a grpc-js server call a CallContext is made from. */
type IncomingCall = Pick<ServerUnaryCall<unknown, unknown>, 'getPeer' | 'getDeadline' | 'metadata'>;

/** How the adapter sees the call it builds a context for. */
export interface CallShape {
  /** The RPC's name in the contract, e.g. "Add" or "WatchNthPrimes". */
  readonly rpc: string;
  readonly rpcType: RpcType;
  /** Deadline of a call whose client set none (REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number;
  /** The call's signal; read only when the answerer asks for it, so a synchronous answer makes none. */
  readonly signal: () => AbortSignal;
  readonly onProgress?: HeavyProgressListener;
}

/** The context of an incoming call: its ids, deadline and peer, and no client but its address yet. */
export function callContextOf(call: IncomingCall, shape: CallShape): CallContext {
  const peer = peerAddress(call.getPeer());
  return {
    call: {
      requestId: requestIdOf(call.metadata),
      rpc: shape.rpc,
      rpcType: shape.rpcType,
      deadline: deadlineOf(call, shape.requestTimeoutMs),
      peer,
      get signal() {
        return shape.signal();
      },
      onProgress: shape.onProgress,
    },
    credential: bearerToken(call.metadata),
    client: peer,
  };
}

/** The part of a grpc-js server call that says the client went away. */
interface CancellableCall {
  readonly cancelled: boolean;
  once(event: 'cancelled', listener: () => void): unknown;
  off(event: 'cancelled', listener: () => void): unknown;
}

/**
 * Calls `abort` with CancelledError when the client cancels, or DeadlineExceededError when the
 * deadline passes (grpc-js reports a passed deadline as a cancel too; one already past aborts
 * before this returns, see atDeadline); returns the stop.
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
