// `npm run start:stack`: the Compose topology as processes on this machine, for a machine
// without Docker: a private Redis, the API, two workers and the queue dashboard, run and
// stopped together by concurrently. Ports are picked free; where each listens and the
// dashboard's credentials are printed first. Ctrl-C (or SIGTERM) stops all of them, each with
// its own graceful shutdown; if any one fails, the others are stopped too.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from '@twelvefa/test-support';
import concurrently from 'concurrently';

// PORT and LOG_LEVEL pass through to the API, as `npm start` takes them.
const { PORT = '3000', LOG_LEVEL = 'info' } = process.env;
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string): string => `node_modules/.bin/${name}`;
const WORKERS = 2;

const ports = {
  redis: await freePort(),
  api: Number(PORT),
  apiMetrics: await freePort(),
  dashboard: await freePort(),
  workerMetrics: await Promise.all(Array.from({ length: WORKERS }, () => freePort())),
};
const redisUrl = `redis://127.0.0.1:${ports.redis}`;
const password = randomBytes(18).toString('base64url');
const shared = { REDIS_URL: redisUrl, LOG_LEVEL };

process.stdout.write(`twelvefa stack (Ctrl-C stops everything):
  redis      ${redisUrl} (private, not persisted)
  api        127.0.0.1:${ports.api}   calcli: npx calcli connect :${ports.api}
             metrics http://127.0.0.1:${ports.apiMetrics}/metrics
  workers    ${WORKERS}, metrics ${ports.workerMetrics.map((port) => `:${port}`).join(' ')}
  dashboard  http://127.0.0.1:${ports.dashboard}/   user operator, password ${password}

`);

const { result } = concurrently(
  [
    {
      name: 'redis',
      command: `redis-server --port ${ports.redis} --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction`,
    },
    {
      name: 'api',
      command: bin('twelvefa'),
      env: {
        ...shared,
        HOST: '127.0.0.1',
        PORT: String(ports.api),
        METRICS_PORT: String(ports.apiMetrics),
      },
    },
    ...ports.workerMetrics.map((port, index) => ({
      name: `worker-${index + 1}`,
      command: bin('twelvefa-worker'),
      env: { ...shared, METRICS_PORT: String(port), WORKER_NAME: `stack-worker-${index + 1}` },
    })),
    {
      name: 'dashboard',
      command: bin('twelvefa-dashboard'),
      env: {
        ...shared,
        DASHBOARD_PORT: String(ports.dashboard),
        DASHBOARD_USER: 'operator',
        DASHBOARD_PASSWORD: password,
      },
    },
  ],
  {
    cwd: root,
    prefix: 'name',
    padPrefix: true,
    // A process that fails stops the rest. Not 'success': after Ctrl-C concurrently counts every
    // exit as one, and a second signal would cut the others' graceful shutdown short.
    killOthersOn: ['failure'],
    // Longer than any process's own grace (SHUTDOWN_GRACE_MS defaults to 10 s).
    killTimeout: 15_000,
  },
);
// Stopped by a signal or because one process ended: either way every process has exited.
await result.then(
  () => undefined,
  () => undefined,
);
process.stdout.write('twelvefa stack stopped\n');
