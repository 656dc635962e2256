// grpc-js's callback and stream calls as promises that an AbortSignal cancels.
import type { CallOptions, ClientUnaryCall, Metadata, ServiceError } from '@grpc/grpc-js';
import type { CalcClient, WatchNthPrimesResponse } from '@twelvefa/proto';
import { RequestCancelledError } from './connection-errors.js';

/** How far one n of an np call has come: `done` of `total` parts (WatchNthPrimes). */
export interface NProgress {
  readonly n: bigint;
  readonly done: number;
  readonly total: number;
}

/** Told the progress of an np call's heavy n whenever one of them moves. */
export type ProgressListener = (progress: readonly NProgress[]) => void;

/** What each call is sent with. */
export interface CallSettings {
  readonly metadata: Metadata;
  readonly options: Partial<CallOptions>;
}

export type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

/** WatchNthPrimes: the progress to `onProgress` as it streams, the primes at the end. */
export function watch(
  client: CalcClient,
  n: bigint[],
  { metadata, options }: CallSettings,
  signal: AbortSignal | undefined,
  onProgress: ProgressListener,
): Promise<bigint[]> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RequestCancelledError());
      return;
    }
    const call = client.watchNthPrimes({ n }, metadata, options);
    let answer: bigint[] | undefined;
    const onAbort = (): void => call.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    call.on('data', (message: WatchNthPrimesResponse) => {
      if (message.progress !== undefined) {
        onProgress(
          message.progress.n.map((item) => ({
            n: item.n,
            done: item.partsDone,
            total: item.partsTotal,
          })),
        );
      }
      if (message.answer !== undefined) answer = message.answer.nthPrimes;
    });
    call.on('error', (error: ServiceError) => {
      settle();
      reject(signal?.aborted ? new RequestCancelledError() : error);
    });
    call.on('end', () => {
      settle();
      if (answer === undefined) reject(new Error('WatchNthPrimes ended without an answer'));
      else resolve(answer);
    });
  });
}

/** A unary call; aborting the signal cancels it, and it rejects with RequestCancelledError. */
export function unary<Request, Response>(
  method: UnaryMethod<Request, Response>,
  request: Request,
  { metadata, options }: CallSettings,
  signal: AbortSignal | undefined,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RequestCancelledError());
      return;
    }
    const onAbort = (): void => call.cancel();
    const call = method(request, metadata, options, (error, response) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) {
        reject(new RequestCancelledError());
      } else if (error) {
        reject(error);
      } else {
        resolve(response);
      }
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
