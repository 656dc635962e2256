import {
  type ClientReadableStream,
  credentials,
  Metadata,
  type ServiceError,
  type status,
} from '@grpc/grpc-js';
import {
  CalcClient,
  type WatchNthPrimesResponse,
  type WatchPrimePiResponse,
} from '@twelvefa/proto';

/** A call's result: the response, or the status the client saw. */
export type CallResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: status; readonly details: string };

function settle<T>(
  resolve: (result: CallResult<T>) => void,
): (error: ServiceError | null, value: T) => void {
  return (error, value) =>
    resolve(
      error === null
        ? { ok: true, value }
        : { ok: false, code: error.code, details: error.details },
    );
}

/** Every message of a server stream, and how it ended. */
function collect<Message>(
  call: ClientReadableStream<Message>,
): Promise<{ messages: Message[]; end: CallResult<null> }> {
  return new Promise((resolve) => {
    const messages: Message[] = [];
    call.on('data', (message: Message) => messages.push(message));
    call.on('error', (error: ServiceError) =>
      resolve({ messages, end: { ok: false, code: error.code, details: error.details } }),
    );
    call.on('end', () => resolve({ messages, end: { ok: true, value: null } }));
  });
}

/** The generated client, promisified, with an optional deadline and cancellation. */
export class TestCalcClient {
  readonly client: CalcClient;

  /** `apiKey` goes with every call as `authorization: Bearer <apiKey>`. */
  constructor(
    port: number,
    private readonly apiKey?: string,
  ) {
    this.client = new CalcClient(`127.0.0.1:${port}`, credentials.createInsecure());
  }

  add(a: bigint, b: bigint, options: { deadlineMs?: number } = {}) {
    return new Promise<CallResult<bigint>>((resolve) => {
      const done = settle<{ sum: bigint }>((result) =>
        resolve(result.ok ? { ok: true, value: result.value.sum } : result),
      );
      this.client.add({ a, b }, this.metadata(), this.options(options), done);
    });
  }

  max(a: bigint, b: bigint) {
    return new Promise<CallResult<bigint>>((resolve) => {
      const done = settle<{ max: bigint }>((result) =>
        resolve(result.ok ? { ok: true, value: result.value.max } : result),
      );
      this.client.max({ a, b }, this.metadata(), {}, done);
    });
  }

  /** WatchNthPrimes: every message of the stream, and how it ended. */
  watchNthPrimes(n: readonly bigint[]) {
    return collect<WatchNthPrimesResponse>(
      this.client.watchNthPrimes({ n: [...n] }, this.metadata()),
    );
  }

  /** PrimePi: pi(x) for each x. */
  primePi(x: readonly bigint[]) {
    return new Promise<CallResult<bigint[]>>((resolve) => {
      const done = settle<{ pi: bigint[] }>((result) =>
        resolve(result.ok ? { ok: true, value: result.value.pi } : result),
      );
      this.client.primePi({ x: [...x] }, this.metadata(), {}, done);
    });
  }

  /** WatchPrimePi: every message of the stream, and how it ended. */
  watchPrimePi(x: readonly bigint[]) {
    return collect<WatchPrimePiResponse>(this.client.watchPrimePi({ x: [...x] }, this.metadata()));
  }

  /** NthPrimes; `signal` cancels the call like Ctrl-C in the CLI. */
  nthPrimes(n: readonly bigint[], options: { deadlineMs?: number; signal?: AbortSignal } = {}) {
    return new Promise<CallResult<bigint[]>>((resolve) => {
      const done = settle<{ nthPrimes: bigint[] }>((result) =>
        resolve(result.ok ? { ok: true, value: result.value.nthPrimes } : result),
      );
      const call = this.client.nthPrimes(
        { n: [...n] },
        this.metadata(),
        this.options(options),
        done,
      );
      options.signal?.addEventListener('abort', () => call.cancel(), { once: true });
    });
  }

  close(): void {
    this.client.close();
  }

  /** Each call's metadata: the API key, if the client has one. */
  metadata(): Metadata {
    const metadata = new Metadata();
    if (this.apiKey !== undefined) metadata.set('authorization', `Bearer ${this.apiKey}`);
    return metadata;
  }

  private options(options: { deadlineMs?: number }) {
    return options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
  }
}
