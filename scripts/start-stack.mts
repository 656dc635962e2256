// `npm run start:stack`: the Compose topology as processes on this machine, for a machine
// without Docker: a private Redis, the API, two workers and the queue dashboard, run and
// stopped together by concurrently. Ports are picked free; where each listens and the
// dashboard's credentials are printed first. Ctrl-C (or SIGTERM) stops all of them, each with
// its own graceful shutdown; if any one ends, the others are stopped too.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freePort } from '@twelvefa/test-support';
import {
  type Command,
  createConcurrently,
  LogError,
  LogExit,
  Logger,
  LogOutput,
} from 'concurrently';

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

const processes: { name: string; command: string; env?: Record<string, string> }[] = [
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
];
const nameWidth = Math.max(...processes.map((entry) => entry.name.length));

// Every process gets exactly one SIGTERM, and Redis goes last, so workers can still hand back
// or finish their jobs and the API can end its calls while they shut down gracefully.
// - Each runs in its own process group (detached), so a terminal's Ctrl-C reaches only this
//   script. With the default spawn they would share our group and also see the Ctrl-C itself.
// - None of concurrently's KillOnSignal or killOthersOn: the first signals Redis with everyone
//   else; the second counts an exit by signal as a failure and signals the survivors again.
// - `exec`, so the signal reaches the program itself, and its exit code is the one logged.
const logger = new Logger({ prefixFormat: 'name' });
const { commands, result } = createConcurrently(
  processes.map((entry) => ({
    ...entry,
    name: entry.name.padEnd(nameWidth),
    command: `exec ${entry.command}`,
  })),
  {
    cwd: root,
    logger,
    outputStream: process.stdout,
    spawn: (command, options) => spawn('/bin/sh', ['-c', command], { ...options, detached: true }),
    controllers: [new LogError({ logger }), new LogOutput({ logger }), new LogExit({ logger })],
  },
);

// Redis is the first entry of `processes`.
const [redis, ...services] = commands as [Command, ...Command[]];
let stopping = false;
function stopAll(why: string): void {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`--> ${why}; stopping everything\n`);
  for (const service of services) service.kill('SIGTERM');
  const running = services.filter((service) => service.state !== 'exited');
  let left = running.length;
  if (left === 0) redis.kill('SIGTERM');
  for (const service of running) {
    service.close.subscribe(() => {
      left -= 1;
      if (left === 0) redis.kill('SIGTERM');
    });
  }
  // Longer than any process's own grace (SHUTDOWN_GRACE_MS defaults to 10 s).
  setTimeout(() => {
    for (const command of commands) command.kill('SIGKILL');
  }, 15_000).unref();
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => stopAll(signal));
}
for (const command of commands) {
  command.close.subscribe(() => stopAll(`${command.name.trim()} ended`));
}

// Stopped by a signal or because one process ended: either way every process has exited.
await result.then(
  () => undefined,
  () => undefined,
);
process.stdout.write('twelvefa stack stopped\n');
