// grpc.health.v1.Health/Watch at the HTTP/2 level: streams opened on many service names and
// cancelled once their first status arrives, the way a hostile client makes a server remember
// names. The health messages are one string field in and one enum field out, encoded by hand.
import http2 from 'node:http2';
import { prepareCall } from '@twelvefa/test-support';

/** grpc.health.v1 ServingStatus values as they travel. */
export const SERVING_STATUS = {
  UNKNOWN: 0,
  SERVING: 1,
  NOT_SERVING: 2,
  SERVICE_UNKNOWN: 3,
} as const;

/** HealthCheckRequest { string service = 1 } for `service`. */
export function healthRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  if (name.length > 127) throw new Error('service names here are shorter than 128 bytes');
  return Buffer.concat([Buffer.from([0x0a, name.length]), name]);
}

/** The Watch request frame for `service`. */
function watchFrame(service: string): Buffer {
  return prepareCall('', healthRequest(service)).frame;
}

/** The status in a HealthCheckResponse message (field 1, varint), 0 when absent. */
export function servingStatusOf(message: Buffer): number {
  return message.length >= 2 && message[0] === 0x08 ? (message[1] ?? 0) : 0;
}

/** How one watch went: its first status, or the gRPC status that ended it first. */
export interface WatchResult {
  /** The first ServingStatus received; undefined when the call ended before any. */
  readonly firstStatus: number | undefined;
  /** The grpc-status the call ended with; undefined when we cancelled it first. */
  readonly grpcStatus: number | undefined;
  readonly details: string;
}

/** An open watch: its first result, every status received so far, and how to cancel it. */
export interface OpenWatch {
  readonly first: Promise<WatchResult>;
  readonly statuses: number[];
  /** Resolves the grpc-status the server ended it with (-1 for a reset), if it ends it. */
  readonly ended: Promise<number>;
  cancel(): void;
}

/** Opens a Watch for `service` on `session` and keeps it open until cancel(). */
export function openWatch(session: http2.ClientHttp2Session, service: string): OpenWatch {
  const stream = session.request({
    ':method': 'POST',
    ':path': '/grpc.health.v1.Health/Watch',
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  const statuses: number[] = [];
  let pending = Buffer.alloc(0);
  let grpcStatus: number | undefined;
  let details = '';
  let settleFirst: (result: WatchResult) => void = () => undefined;
  const first = new Promise<WatchResult>((resolve) => {
    settleFirst = resolve;
  });
  const ended = new Promise<number>((resolve) => {
    const read = (fields: http2.IncomingHttpHeaders): void => {
      const code = fields['grpc-status'];
      if (typeof code === 'string') grpcStatus = Number(code);
      const text = fields['grpc-message'];
      if (typeof text === 'string') details = decodeURIComponent(text);
    };
    stream.on('response', read);
    stream.on('trailers', read);
    stream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
        const length = pending.readUInt32BE(1);
        statuses.push(servingStatusOf(pending.subarray(5, 5 + length)));
        pending = pending.subarray(5 + length);
        settleFirst({ firstStatus: statuses[0], grpcStatus: undefined, details: '' });
      }
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      settleFirst({ firstStatus: statuses[0], grpcStatus: grpcStatus ?? -1, details });
      resolve(grpcStatus ?? -1);
    });
  });
  stream.end(watchFrame(service));
  return {
    first,
    statuses,
    ended,
    cancel: () => stream.close(http2.constants.NGHTTP2_CANCEL),
  };
}

/** What a storm of watches did. */
export interface WatchStormReport {
  readonly watches: number;
  readonly ms: number;
  /** Counts of first statuses by name (SERVICE_UNKNOWN...), or of the grpc-status that ended a watch first. */
  readonly outcomes: Record<string, number>;
}

const STATUS_NAMES = new Map<number, string>(
  Object.entries(SERVING_STATUS).map(([name, code]) => [code, name]),
);

/**
 * Opens `count` watches on distinct unknown names (`prefix-0`, `prefix-1`, ...) from `lanes`
 * lanes at once, cancelling each once its first status arrives. Each lane moves to a new
 * HTTP/2 connection after `perConnection` watches, so no connection sends more resets than
 * HTTP/2's rapid-reset guard allows (nghttp2 answers over 1,000 with GOAWAY).
 */
export async function watchStorm(
  address: string,
  options: { count: number; prefix: string; lanes: number; perConnection: number },
): Promise<WatchStormReport> {
  const started = performance.now();
  const outcomes: Record<string, number> = {};
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < options.count) {
      const session = http2.connect(`http://${address}`);
      session.on('error', () => undefined);
      for (let done = 0; done < options.perConnection && next < options.count; done++) {
        const watch = openWatch(session, `${options.prefix}-${next++}`);
        const result = await watch.first;
        watch.cancel();
        const name =
          result.firstStatus !== undefined
            ? (STATUS_NAMES.get(result.firstStatus) ?? String(result.firstStatus))
            : `grpc-status ${result.grpcStatus}`;
        outcomes[name] = (outcomes[name] ?? 0) + 1;
      }
      await new Promise<void>((resolve) => session.close(() => resolve()));
    }
  };
  await Promise.all(Array.from({ length: options.lanes }, lane));
  return { watches: options.count, ms: performance.now() - started, outcomes };
}

/**
 * Opens `count` watches on distinct unknown names all at once, spread over `connections`
 * HTTP/2 connections, waits for each one's first answer, then closes the connections with the
 * watches still open (no resets: the server sees each stream end with its connection).
 */
export async function heldWatchStorm(
  address: string,
  options: { count: number; prefix: string; connections: number },
): Promise<WatchStormReport> {
  const started = performance.now();
  const outcomes: Record<string, number> = {};
  const perConnection = Math.ceil(options.count / options.connections);
  await Promise.all(
    Array.from({ length: options.connections }, async (_, connection) => {
      const session = http2.connect(`http://${address}`);
      session.on('error', () => undefined);
      const from = connection * perConnection;
      const to = Math.min(options.count, from + perConnection);
      const watches = Array.from({ length: to - from }, (_, index) =>
        openWatch(session, `${options.prefix}-${from + index}`),
      );
      for (const result of await Promise.all(watches.map((watch) => watch.first))) {
        const name =
          result.firstStatus !== undefined
            ? (STATUS_NAMES.get(result.firstStatus) ?? String(result.firstStatus))
            : `grpc-status ${result.grpcStatus}`;
        outcomes[name] = (outcomes[name] ?? 0) + 1;
      }
      session.destroy();
    }),
  );
  return { watches: options.count, ms: performance.now() - started, outcomes };
}
