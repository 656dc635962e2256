// grpc-js's callback and stream calls as promises that an AbortSignal cancels.
import type {
  CallOptions,
  ClientReadableStream,
  ClientUnaryCall,
  Metadata,
  ServiceError,
} from '@grpc/grpc-js';
import { RequestCancelledError } from './connection-errors.js';

/** How far one heavy n (np) or x (pi) of a call has come: `done` of `total` parts. */
export interface PartsProgress {
  readonly done: number;
  readonly total: number;
}

/** Told the progress of a call's heavy work whenever a part of it moves. */
export type ProgressListener = (progress: readonly PartsProgress[]) => void;

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

/** A Watch RPC (WatchNthPrimes, WatchPrimePi): how to start it and read its messages. */
export interface WatchMethod<Message, Answer> {
  readonly name: string;
  start(metadata: Metadata, options: Partial<CallOptions>): ClientReadableStream<Message>;
  /** The message's progress entries, when it is a progress message. */
  progressOf(
    message: Message,
  ): readonly { readonly partsDone: number; readonly partsTotal: number }[] | undefined;
  /** The message's answer, when it is the answer. */
  answerOf(message: Message): Answer | undefined;
}

/** A Watch call: the progress to `onProgress` as it streams, the answer at the end. */
export function watch<Message, Answer>(
  method: WatchMethod<Message, Answer>,
  { metadata, options }: CallSettings,
  signal: AbortSignal | undefined,
  onProgress: ProgressListener,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new RequestCancelledError());
      return;
    }
    const call = method.start(metadata, options);
    let answer: Answer | undefined;
    const onAbort = (): void => call.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal?.removeEventListener('abort', onAbort);
    call.on('data', (message: Message) => {
      const progress = method.progressOf(message);
      if (progress !== undefined) {
        onProgress(progress.map((item) => ({ done: item.partsDone, total: item.partsTotal })));
      }
      answer = method.answerOf(message) ?? answer;
    });
    call.on('error', (error: ServiceError) => {
      settle();
      reject(signal?.aborted ? new RequestCancelledError() : error);
    });
    call.on('end', () => {
      settle();
      if (answer === undefined) reject(new Error(`${method.name} ended without an answer`));
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
