// A connection to a calc.Calc server: dials and waits for it, diagnoses why it cannot be reached,
// sends each calculation (the Watch RPCs for progress, falling back to the unary ones on a server
// without them), and dials again after the connection was lost.
import {
  type ChannelCredentials,
  connectivityState,
  credentials,
  Metadata,
  status,
} from '@grpc/grpc-js';
import { CalcClient } from '@twelvefa/proto';
import type { ServerAddress } from './address.js';
import type { Calculation } from './command.js';
import { diagnoseConnection, diagnoseUnixSocket } from './connection-diagnosis.js';
import {
  ConnectError,
  ConnectionLostError,
  DeadlineExceededError,
  isServiceError,
} from './connection-errors.js';
import type { ConnectionOptions } from './connection-options.js';
import { formatDuration } from './duration.js';
import {
  type CallSettings,
  type ProgressListener,
  unary,
  type WatchMethod,
  watch,
} from './grpc-calls.js';
import type { CalcResult } from './result-format.js';

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
  /** The Watch RPCs the server answered UNIMPLEMENTED: their unary forms serve from then on. */
  private readonly unwatchable = new Set<string>();

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
          const nthPrimes = await this.watchOrAsk(
            {
              name: 'WatchNthPrimes',
              start: (metadata, options) => client.watchNthPrimes({ n }, metadata, options),
              progressOf: (message) => message.progress?.n,
              answerOf: (message) => message.answer?.nthPrimes,
            },
            async () =>
              (await unary(client.nthPrimes.bind(client), { n }, this.callSettings(), signal))
                .nthPrimes,
            signal,
            onProgress,
          );
          return { kind: 'np', n, nthPrimes };
        }
        case 'pi': {
          const x = [...calculation.x];
          const pi = await this.watchOrAsk(
            {
              name: 'WatchPrimePi',
              start: (metadata, options) => client.watchPrimePi({ x }, metadata, options),
              progressOf: (message) => message.progress?.x,
              answerOf: (message) => message.answer?.pi,
            },
            async () =>
              (await unary(client.primePi.bind(client), { x }, this.callSettings(), signal)).pi,
            signal,
            onProgress,
          );
          return { kind: 'pi', x, pi };
        }
      }
    } catch (error) {
      throw await this.explain(client, error);
    }
  }

  /**
   * Streams the call's progress when someone listens and the server has the Watch RPC; asks the
   * plain way otherwise. A server without it (the earlier Go service among them) answers
   * UNIMPLEMENTED once, and the plain call serves from then on.
   */
  private async watchOrAsk<Message, Answer>(
    method: WatchMethod<Message, Answer>,
    ask: () => Promise<Answer>,
    signal: AbortSignal | undefined,
    onProgress: ProgressListener | undefined,
  ): Promise<Answer> {
    if (onProgress !== undefined && !this.unwatchable.has(method.name)) {
      try {
        return await watch(method, this.callSettings(), signal, onProgress);
      } catch (error) {
        if (!isServiceError(error) || error.code !== status.UNIMPLEMENTED) throw error;
        this.unwatchable.add(method.name);
      }
    }
    return ask();
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
