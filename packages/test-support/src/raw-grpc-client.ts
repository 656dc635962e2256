// A gRPC client at the HTTP/2 level: unary calls over one session with pre-encoded request
// frames and any headers, the malformed ones a real client never sends included. It costs a
// load generator far less CPU per call than a @grpc/grpc-js client, so on a two-core machine
// the server, not the generator, is what a benchmark measures.
import http2 from 'node:http2';

/** A unary call ready to send: method path and its request message, encoded once. */
export interface PreparedCall {
  readonly path: string;
  /** The gRPC length-prefixed message (1 byte flag, 4 bytes length, protobuf). */
  readonly frame: Buffer;
}

/** How a raw call ended: its gRPC status and details, and the response message on OK. */
export interface RawCallResult {
  /** The grpc-status trailer; -1 when the server sent none. */
  readonly status: number;
  readonly details: string;
  readonly message: Buffer | undefined;
}

/** Prepares a call: the 5-byte gRPC prefix (uncompressed) followed by the message bytes. */
export function prepareCall(path: string, message: Uint8Array): PreparedCall {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt8(0, 0);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return { path, frame };
}

/** One HTTP/2 session to a gRPC server, for unary calls. */
export class RawGrpcClient {
  private readonly session: http2.ClientHttp2Session;
  private goneAway = false;

  /** `options` go to http2.connect: `localAddress` (127.0.0.2, ...) makes another client of the same host. */
  constructor(
    address: string,
    options: http2.ClientSessionOptions & { localAddress?: string } = {},
  ) {
    this.session = http2.connect(`http://${address}`, options);
    this.session.on('error', () => undefined); // surfaced per call instead
    this.session.on('goaway', () => {
      this.goneAway = true;
    });
  }

  /**
   * Whether the server has said GOAWAY (GRPC_MAX_CONNECTION_AGE_MS, say) or the session is
   * closed: new calls fail at once, so a long-running client moves to a new one, as gRPC
   * clients do.
   */
  get draining(): boolean {
    return this.goneAway || this.session.closed || this.session.destroyed;
  }

  /** Sends the call; resolves the response message bytes, or rejects on a non-OK status. */
  async call(prepared: PreparedCall): Promise<Buffer> {
    const { status, details, message } = await this.send(prepared);
    if (status !== 0 || message === undefined) {
      throw new Error(`grpc-status ${status} (${details}) on ${prepared.path}`);
    }
    return message;
  }

  /** Sends the call with extra request headers (grpc-timeout, say); resolves however it ended. */
  send(prepared: PreparedCall, headers: http2.OutgoingHttpHeaders = {}): Promise<RawCallResult> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({
        ':method': 'POST',
        ':path': prepared.path,
        'content-type': 'application/grpc',
        te: 'trailers',
        ...headers,
      });
      const chunks: Buffer[] = [];
      let status = -1;
      let details = '';
      const read = (fields: http2.IncomingHttpHeaders): void => {
        const code = fields['grpc-status'];
        if (typeof code === 'string') status = Number(code);
        const text = fields['grpc-message'];
        if (typeof text === 'string') details = decodeURIComponent(text);
      };
      // A trailers-only response carries the status in the headers.
      stream.on('response', read);
      stream.on('trailers', read);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => {
        const body = Buffer.concat(chunks);
        const message = body.length >= 5 ? body.subarray(5, 5 + body.readUInt32BE(1)) : undefined;
        resolve({ status, details, message });
      });
      stream.end(prepared.frame);
    });
  }

  close(): void {
    this.session.close();
  }

  /** Drops the connection at once: the calls still on it are reset, which the server sees as cancels. */
  destroy(): void {
    this.session.destroy();
  }
}
