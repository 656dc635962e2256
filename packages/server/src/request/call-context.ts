// What an answerer knows about the call it answers, beside the request itself.
import type { PrimeTarget } from '@twelvefa/calc';
import type { CalcRpc } from './calc-calls.js';

/** One heavy target's progress (an n, or an x): `done` of `total` parts of its computation. */
export interface HeavyProgress {
  readonly target: PrimeTarget;
  readonly done: number;
  readonly total: number;
}

/** Told every heavy target's latest progress, whenever one of them moves. */
export type HeavyProgressListener = (progress: readonly HeavyProgress[]) => void;

/** How the RPC exchanges messages, as gRPC's metrics name it. */
export type RpcType = CalcRpc['rpcType'];

/** The call as it arrived: the same object from the adapter to the last wrapper. */
export interface CallInfo {
  readonly requestId: string;
  /** The RPC the client called (`WatchNthPrimes` answers an NthPrimes request, `WatchPrimePi` a PrimePi one). */
  readonly rpc: string;
  readonly rpcType: RpcType;
  /** Epoch ms: the client's deadline, or the arrival time + REQUEST_TIMEOUT_MS when it set none. */
  readonly deadline: number;
  /** Aborts when the client cancels or the deadline passes (reason: CancelledError, DeadlineExceededError). */
  readonly signal: AbortSignal;
  /** The peer's address without its port, e.g. "127.0.0.1", "::1" or "unix:/run/calc.sock". */
  readonly peer: string;
  /** WatchNthPrimes and WatchPrimePi: told the heavy targets' progress while they are computed. */
  readonly onProgress?: HeavyProgressListener | undefined;
}

/** The call, and who is making it. */
export interface CallContext {
  readonly call: CallInfo;
  /** The token of the call's `authorization: Bearer` header: for authentication only, never logged. */
  readonly credential: string | undefined;
  /**
   * Who is calling, for rate limits, fair sharing and the event log: the identity its
   * credential proves once authenticated (access/authenticating.ts), else the peer's address.
   */
  readonly client: string;
}
