// A load generator's gRPC client: unary calls over one HTTP/2 session with pre-encoded request
// frames. It costs the generator far less CPU per call than a @grpc/grpc-js client, so on a
// two-core machine the server, not the generator, is what the benchmark measures.
import http2 from 'node:http2';

/** A unary call ready to send: method path and its request message, encoded once. */
export interface PreparedCall {
  readonly path: string;
  /** The gRPC length-prefixed message (1 byte flag, 4 bytes length, protobuf). */
  readonly frame: Buffer;
}

/** Prepares a call: the 5-byte gRPC prefix (uncompressed) followed by the encoded message. */
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

  constructor(address: string) {
    this.session = http2.connect(`http://${address}`);
    this.session.on('error', () => undefined); // surfaced per call instead
  }

  /** Sends the call; resolves the response message bytes, or rejects on a non-OK status. */
  call(prepared: PreparedCall): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({
        ':method': 'POST',
        ':path': prepared.path,
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      const chunks: Buffer[] = [];
      let grpcStatus: string | undefined;
      stream.on('response', (headers) => {
        // A trailers-only response carries the status in the headers.
        const status = headers['grpc-status'];
        if (typeof status === 'string') grpcStatus = status;
      });
      stream.on('trailers', (trailers) => {
        const status = trailers['grpc-status'];
        if (typeof status === 'string') grpcStatus = status;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => {
        if (grpcStatus !== '0') {
          reject(new Error(`grpc-status ${grpcStatus ?? 'missing'} on ${prepared.path}`));
          return;
        }
        const body = Buffer.concat(chunks);
        resolve(body.subarray(5, 5 + body.readUInt32BE(1)));
      });
      stream.end(prepared.frame);
    });
  }

  close(): void {
    this.session.close();
  }
}
