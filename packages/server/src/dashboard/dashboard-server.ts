import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express from 'express';
import type { Logger } from '../logger.js';
import { basicAuth } from './basic-auth.js';
import { primeBoardHooks } from './board-hooks.js';
import type { DashboardConfig } from './dashboard-config.js';
import { LoginThrottle, type LoginThrottleStore } from './login-throttle.js';
import { selfHostedFonts } from './self-hosted-fonts.js';

/**
 * A job's name in the list, with its answer once it has one (`n=5000000000: 122430513841`),
 * so the list shows results without opening each job's JSON. Chunks return partial sums: no answer.
 */
function nameWithAnswer(job: { name?: string; returnvalue?: unknown }): string {
  const name = job.name ?? '';
  const result = job.returnvalue as { answer?: unknown } | null | undefined;
  return typeof result?.answer === 'string' ? `${name}: ${result.answer}` : name;
}

/** What the dashboard shows and how. The caller owns the queues and closes them. */
export interface DashboardDeps {
  readonly config: DashboardConfig;
  readonly queues: readonly Queue[];
  readonly logger: Logger;
  /** Where failed logins are counted, shared with every other dashboard process. */
  readonly logins: LoginThrottleStore;
}

/** The bull-board HTTP server. */
export interface DashboardServer {
  /** Binds DASHBOARD_HOST:port (default DASHBOARD_PORT; 0 picks a free port); resolves the bound port. */
  listen(port?: number): Promise<number>;
  /** Stops listening and ends open connections; safe to call twice. */
  close(): Promise<void>;
}

/**
 * bull-board over `queues`: read-only unless DASHBOARD_ACTIONS, behind basic
 * auth when credentials are configured, each job's data opening with its summary
 * (board-hooks.ts). /healthz answers without auth, for probes.
 */
export function createDashboardServer(deps: DashboardDeps): DashboardServer {
  const { config, queues, logger, logins } = deps;
  const board = new ExpressAdapter();
  board.setBasePath(config.basePath);
  createBullBoard({
    queues: queues.map((queue) => {
      const adapter = new BullMQAdapter(queue, {
        readOnlyMode: !config.actions,
        allowRetries: config.actions,
        description:
          'prime jobs (nth primes and pi(x)): whole computations, and flows of chunks and their combine step',
      });
      adapter.setFormatter('name', nameWithAnswer);
      return adapter;
    }),
    serverAdapter: board,
    options: {
      uiConfig: { boardTitle: 'twelvefa jobs', hideDocsLink: true },
      // A job's data opens with a summary in an operator's words (n, part, range, seconds,
      // answer), the raw data below it.
      handlerHooks: primeBoardHooks(),
    },
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_request, response) => {
    response.type('text/plain').send('ok\n');
  });
  if (config.credentials !== undefined) {
    const throttle = new LoginThrottle(logins, config.loginThrottle);
    app.use(basicAuth(config.credentials, 'twelvefa dashboard', throttle, logger));
  }
  if (!config.actions) {
    // bull-board's read-only mode hides the buttons but still answers some mutating routes
    // (pause and resume answer 200): every request that would change something is refused here.
    app.use(config.basePath, (request, response, next) => {
      if (request.method === 'GET' || request.method === 'HEAD') {
        next();
        return;
      }
      response
        .status(405)
        .set('Allow', 'GET, HEAD')
        .type('text/plain')
        .send('the dashboard is read-only (DASHBOARD_ACTIONS=false)\n');
    });
  }
  const fonts = selfHostedFonts();
  app.use(config.basePath, fonts.files, fonts.rewritePage);
  app.use(config.basePath, board.getRouter() as express.Router);

  let server: Server | undefined;
  let closing: Promise<void> | undefined;
  return {
    listen: (port = config.port) =>
      new Promise((resolve, reject) => {
        if (closing !== undefined) {
          reject(new Error('the dashboard is closed'));
          return;
        }
        const listening = app.listen(port, config.host, (error?: Error) => {
          if (error !== undefined) {
            reject(error);
            return;
          }
          server = listening;
          const bound = (listening.address() as AddressInfo).port;
          logger.info(
            {
              port: bound,
              host: config.host,
              basePath: config.basePath,
              auth: config.credentials !== undefined,
              actions: config.actions,
              queues: queues.map((queue) => queue.name),
            },
            'dashboard listening',
          );
          resolve(bound);
        });
      }),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        if (server === undefined) {
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
