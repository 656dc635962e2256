import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (never 6379: that one is shared). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const found = typeof address === 'object' && address !== null ? address.port : 0;
        server.close(() => resolve(found));
      });
    });
    if (port !== 6379 && port !== 0) return port;
  }
  throw new Error('found no free port in 10 attempts');
}
