import {
  type CallOptions,
  type ChannelCredentials,
  type ClientUnaryCall,
  connectivityState,
  credentials,
  Metadata,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { CalcClient, type WatchNthPrimesResponse } from '@twelvefa/proto';
import type { ServerAddress } from './address.js';
import type { Calculation } from './command.js';
import { diagnoseConnection, diagnoseUnixSocket } from './connection-diagnosis.js';
import { formatDuration } from './duration.js';
import type { CalcResult } from './result-format.js';

/** How to reach the server. */
export interface ConnectionOptions {
  readonly address: ServerAddress;
  /** Use TLS; plaintext when false. */
  readonly tls: boolean;
  /** PEM CA certificates to trust for TLS; the system roots when absent. */
  readonly ca?: Buffer;
  /** How long to wait for the server to accept a connection, in milliseconds. */
  readonly connectTimeoutMs: number;
  /** PEM client certificate and its key, for servers that ask for one (mutual TLS). */
  readonly clientCertificate?: { readonly cert: Buffer; readonly key: Buffer };
  /** TLS without checking the server's certificate (--insecure): encrypted, not authenticated. */
  readonly insecure?: boolean;
  /** The :authority (and TLS server name) to send instead of the address's host. */
  readonly authority?: string;
  /** Metadata sent with every call (-H). */
  readonly headers?: readonly (readonly [name: string, value: string | Buffer])[];
  /** Each call's deadline, from when it is sent (--max-time); none when absent. */
  readonly callTimeoutMs?: number;
}

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

type UnaryMethod<Request, Response> = (
  request: Request,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Response) => void,
) => ClientUnaryCall;

const CHANNEL_OPTIONS = {
  // A private subchannel pool, so that a fresh client after a lost connection
  // dials at once instead of inheriting the old one's reconnect backoff.
  'grpc.use_local_subchannel_pool': 1,
};

/** A client for the calc.Calc service that cancels calls through an AbortSignal. */
export class CalcConnection {
  private readonly options: ConnectionOptions;
  private readonly credentials: ChannelCredentials;
  private client: CalcClient;
  private closed = false;
  /** Whether the server has WatchNthPrimes; false once it answered UNIMPLEMENTED. */
  private watchable = true;

  private constructor(options: ConnectionOptions) {
    this.options = options;
    const { clientCertificate, insecure } = options;
    this.credentials = options.tls
      ? credentials.createSsl(
          options.ca ?? null,
          clientCertificate?.key ?? null,
          clientCertificate?.cert ?? null,
          insecure ? { rejectUnauthorized: false } : {},
        )
      : credentials.createInsecure();
    this.client = this.newClient();
  }

  /** Connects and waits until the server answers, or throws ConnectError after the timeout. */
  static async open(options: ConnectionOptions): Promise<CalcConnection> {
    const connection = new CalcConnection(options);
    try {
      await connection.waitForReady();
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  get address(): ServerAddress {
    return this.options.address;
  }

  /** Asks the server for one calculation; aborting the signal cancels the call. */
  async calculate(
    calculation: Calculation,
    signal?: AbortSignal,
    onProgress?: ProgressListener,
  ): Promise<CalcResult> {
    const client = this.client;
    try {
      switch (calculation.kind) {
        case 'add': {
          const { a, b } = calculation;
          const { sum } = await unary(
            client.add.bind(client),
            { a, b },
            this.callSettings(),
            signal,
          );
          return { kind: 'add', a, b, sum };
        }
        case 'max': {
          const { a, b } = calculation;
          const { max } = await unary(
            client.max.bind(client),
            { a, b },
            this.callSettings(),
            signal,
          );
          return { kind: 'max', a, b, max };
        }
        case 'np': {
          const n = [...calculation.n];
          if (onProgress !== undefined && this.watchable) {
            try {
              const nthPrimes = await watch(client, n, this.callSettings(), signal, onProgress);
              return { kind: 'np', n, nthPrimes };
            } catch (error) {
              // A server without WatchNthPrimes (the earlier Go service among them): ask it the
              // plain way, now and from now on.
              if (!isServiceError(error) || error.code !== status.UNIMPLEMENTED) throw error;
              this.watchable = false;
            }
          }
          const { nthPrimes } = await unary(
            client.nthPrimes.bind(client),
            { n },
            this.callSettings(),
            signal,
          );
          return { kind: 'np', n, nthPrimes };
        }
      }
    } catch (error) {
      throw await this.explain(client, error);
    }
  }

  /** Closes the channel. Safe to call more than once. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.client.close();
  }

  private newClient(): CalcClient {
    const { authority } = this.options;
    const channelOptions =
      authority === undefined
        ? CHANNEL_OPTIONS
        : {
            ...CHANNEL_OPTIONS,
            'grpc.default_authority': authority,
            'grpc.ssl_target_name_override': authority,
          };
    return new CalcClient(this.options.address.target, this.credentials, channelOptions);
  }

  /** A call's metadata and options: the -H headers, and the --max-time deadline from now. */
  private callSettings(): CallSettings {
    const metadata = new Metadata();
    for (const [name, value] of this.options.headers ?? []) metadata.add(name, value);
    const { callTimeoutMs } = this.options;
    return {
      metadata,
      options: callTimeoutMs === undefined ? {} : { deadline: Date.now() + callTimeoutMs },
    };
  }

  /**
   * Resolves once the channel is ready. Fails at the first failed attempt with the reason
   * (a refusal is immediate, and grpc-js would otherwise retry until the timeout), or at the
   * timeout when the server never answers.
   */
  private waitForReady(): Promise<void> {
    const { address, connectTimeoutMs } = this.options;
    const channel = this.client.getChannel();
    const deadline = Date.now() + connectTimeoutMs;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = async (prefix: string): Promise<void> => {
        if (settled) return;
        settled = true;
        const reason = await this.diagnose();
        reject(new ConnectError(reason === undefined ? prefix : `${prefix}: ${reason}`));
      };
      const watch = (state: connectivityState): void => {
        channel.watchConnectivityState(state, deadline, (error) => {
          if (error !== undefined || settled) return;
          const next = channel.getConnectivityState(false);
          if (next === connectivityState.TRANSIENT_FAILURE) {
            void fail(`cannot connect to ${address.display}`);
          } else if (next !== connectivityState.READY) {
            watch(next);
          }
        });
      };
      watch(channel.getConnectivityState(true));
      this.client.waitForReady(deadline, (error) => {
        if (settled) return;
        if (!error) {
          settled = true;
          resolve();
          return;
        }
        void fail(
          `cannot connect to ${address.display} within ${formatDuration(connectTimeoutMs)}`,
        );
      });
    });
  }

  /** Why the server cannot be reached, in a few words; undefined when it cannot be told. */
  private async diagnose(): Promise<string | undefined> {
    const { address, connectTimeoutMs, tls, ca } = this.options;
    const timeoutMs = Math.min(connectTimeoutMs, 2000);
    try {
      if (address.socketPath !== undefined) {
        return await diagnoseUnixSocket(address.socketPath, timeoutMs);
      }
      if (address.endpoint === undefined) return undefined;
      return await diagnoseConnection(
        { ...address.endpoint, tls, ...(ca ? { ca } : {}) },
        timeoutMs,
      );
    } catch {
      return undefined;
    }
  }

  /**
   * Turns a failed call into the error to report. A call past --max-time says which limit it hit
   * (grpc-js's text is a timing breakdown). When the channel itself is down (not a server that
   * answered UNAVAILABLE), the client is replaced so the next call dials the server again.
   */
  private async explain(client: CalcClient, error: unknown): Promise<unknown> {
    const { callTimeoutMs } = this.options;
    if (
      isServiceError(error) &&
      error.code === status.DEADLINE_EXCEEDED &&
      callTimeoutMs !== undefined
    ) {
      return new DeadlineExceededError(callTimeoutMs, error);
    }
    if (!isServiceError(error) || error.code !== status.UNAVAILABLE) {
      return error;
    }
    const state = client.getChannel().getConnectivityState(false);
    if (state === connectivityState.READY || this.closed || client !== this.client) {
      return error;
    }
    client.close();
    this.client = this.newClient();
    return new ConnectionLostError(this.options.address, error, await this.diagnose());
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

/** How far one n of an np call has come: `done` of `total` parts (WatchNthPrimes). */
export interface NProgress {
  readonly n: bigint;
  readonly done: number;
  readonly total: number;
}

/** Told the progress of an np call's heavy n whenever one of them moves. */
export type ProgressListener = (progress: readonly NProgress[]) => void;

/** WatchNthPrimes: the progress to `onProgress` as it streams, the primes at the end. */
function watch(
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

/** What each call is sent with. */
interface CallSettings {
  readonly metadata: Metadata;
  readonly options: Partial<CallOptions>;
}

function unary<Request, Response>(
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
