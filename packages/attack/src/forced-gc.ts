// A full garbage collection in another Node process, through its inspector (started with
// `--inspect=127.0.0.1:0`): V8 collects nothing while a process is idle, so without it the
// RSS after a burst measures garbage nobody has swept yet, not what the process keeps. The
// inspector speaks the Chrome DevTools Protocol over a WebSocket; one request and its answer
// need only the handshake and one frame each way, written here rather than pulling in a client.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';

/** The inspector's WebSocket URL in a process's output ("Debugger listening on ws://..."). */
export function inspectorUrlIn(output: string): string {
  const url = /Debugger listening on (ws:\/\/\S+)/.exec(output)?.[1];
  if (url === undefined)
    throw new Error('the process has no inspector (start it with --inspect=127.0.0.1:0)');
  return url;
}

/** One masked text frame, as a client must send it. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  if (payload.length > 125) throw new Error('one short CDP command at a time');
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/** Sends one CDP command over the inspector's WebSocket and resolves once it is answered. */
async function cdpCommand(url: string, method: string): Promise<void> {
  const socket = await new Promise<Socket>((resolve, reject) => {
    const request = http.request(url.replace(/^ws:/, 'http:'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    request.on('upgrade', (_response, upgraded) => resolve(upgraded));
    request.on('response', (response) =>
      reject(new Error(`the inspector answered ${response.statusCode}, not an upgrade`)),
    );
    request.on('error', reject);
    request.end();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        // The answer names our id; events before it are ignored.
        received += chunk.toString('latin1');
        if (received.includes('"id":1')) resolve();
      });
      socket.on('error', reject);
      socket.on('close', () =>
        reject(new Error(`the inspector closed before answering ${method}`)),
      );
      socket.write(textFrame(JSON.stringify({ id: 1, method })));
    });
  } finally {
    socket.destroy();
  }
}

/** A full, synchronous garbage collection in the process whose inspector is at `url`. */
export function collectGarbage(url: string): Promise<void> {
  return cdpCommand(url, 'HeapProfiler.collectGarbage');
}
