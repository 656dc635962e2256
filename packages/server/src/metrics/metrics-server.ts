import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';

/** GET /metrics over plain HTTP, for Prometheus, and the process's probes. */
export interface MetricsServer {
  /** Binds host:port (0 picks a free port); resolves the bound port. */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening and ends open scrapes; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Serves `registry` on /metrics, and two probes for HTTP health checks (the worker has no gRPC
 * server): /livez answers 200 while the process answers at all, /readyz 200 when `ready()` and
 * 503 otherwise. Every other path is 404.
 */
export function createMetricsServer(
  registry: Registry,
  logger: Logger,
  ready: () => boolean,
): MetricsServer {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' });
      response.end('method not allowed\n');
      return;
    }
    if (path === '/livez' || path === '/readyz') {
      const ok = path === '/livez' || ready();
      response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      response.end(request.method === 'HEAD' ? undefined : ok ? 'ok\n' : 'not ready\n');
      return;
    }
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'metrics scrape failed');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  let closing: Promise<void> | undefined;
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
