// One HTTP/2 connection with the options a case needs (test-support's RawGrpcClient takes
// none), and unary calls on it that resolve however they end.
import http2 from 'node:http2';
import type { PreparedCall } from '@twelvefa/test-support';

/** How a call ended: its grpc-status (-1 when none came) and details, or the stream's error. */
export interface CallEnd {
  readonly status: number;
  readonly details: string;
}

/** Connects to `address` (host:port, plaintext); errors surface per call. */
export function connect(address: string, options: http2.ClientSessionOptions = {}) {
  const session = http2.connect(`http://${address}`, options);
  session.on('error', () => undefined);
  return session;
}

/** Sends a unary call on `session`; never rejects. */
export function send(
  session: http2.ClientHttp2Session,
  call: PreparedCall,
  headers: http2.OutgoingHttpHeaders = {},
): Promise<CallEnd> {
  return new Promise((resolve) => {
    let status = -1;
    let details = '';
    const read = (fields: http2.IncomingHttpHeaders): void => {
      if (typeof fields['grpc-status'] === 'string') status = Number(fields['grpc-status']);
      if (typeof fields['grpc-message'] === 'string') {
        details = decodeURIComponent(fields['grpc-message']);
      }
    };
    let stream: http2.ClientHttp2Stream;
    try {
      stream = session.request({
        ':method': 'POST',
        ':path': call.path,
        'content-type': 'application/grpc',
        te: 'trailers',
        ...headers,
      });
    } catch (error) {
      resolve({ status: -1, details: String(error) });
      return;
    }
    stream.on('response', read);
    stream.on('trailers', read);
    stream.on('error', (error: Error) => {
      if (status === -1) details = String(error);
    });
    stream.resume();
    stream.on('close', () => resolve({ status, details }));
    stream.end(call.frame);
  });
}
