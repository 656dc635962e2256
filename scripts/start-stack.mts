// `npm run start:stack`: the Compose topology as processes on this machine, for a machine
// without Docker: a private Redis, the API, the workers (two, or `-- --workers N`) and the queue
// dashboard, run and stopped together by concurrently. It needs `redis-server` on PATH, and
// says how to install it when it is not, before starting anything. Ports are picked free;
// where each listens and the dashboard's credentials are printed first. Ctrl-C (or SIGTERM)
// stops all of them, each with its own graceful shutdown, in the order API (and dashboard),
// workers, Redis; if any one ends, the others are stopped too.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '@twelvefa/test-support';
import {
  type Command,
  createConcurrently,
  LogError,
  LogExit,
  Logger,
  LogOutput,
} from 'concurrently';

const USAGE = `usage: npm run start:stack [-- --workers N]

Runs a private Redis, the API, N workers (default 2) and the queue dashboard as local
processes; Ctrl-C stops them all. Needs redis-server on PATH. PORT (default 3000) and
LOG_LEVEL (default info) pass through to the API.
`;
const DEFAULT_WORKERS = 2;
const MAX_WORKERS = 32;
/** Tools the stack runs that npm does not install, and how to install each. */
const REQUIRED_TOOLS = [
  {
    name: 'redis-server',
    install: 'sudo apt-get install redis-server (Debian, Ubuntu) or brew install redis (macOS)',
  },
];
// Every process binds loopback only, so what the banner prints is where each listens.
const HOST = '127.0.0.1';
/** After SIGTERM, how long one stopping step waits before SIGKILL: past SHUTDOWN_GRACE_MS. */
const KILL_AFTER_MS = 15_000;

function usageError(problem: string): never {
  process.stderr.write(`twelvefa stack: ${problem}; see npm run start:stack -- --help\n`);
  process.exit(2);
}

function workerCount(argv: readonly string[]): number {
  let values: { workers?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { workers: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    // parseArgs' first sentence; the rest is advice on positionals, which this takes none of.
    const [message = ''] = (error as Error).message.split('. ');
    return usageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (values.workers === undefined) return DEFAULT_WORKERS;
  const count = /^\d+$/.test(values.workers) ? Number(values.workers) : Number.NaN;
  if (!(count >= 1 && count <= MAX_WORKERS)) {
    usageError(`--workers takes a whole number from 1 to ${MAX_WORKERS}, got "${values.workers}"`);
  }
  return count;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Exits 1 naming each required tool missing from PATH and how to install it. */
function checkRequiredTools(): void {
  const path = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  const missing = REQUIRED_TOOLS.filter(
    (tool) => !path.some((dir) => isExecutable(join(dir, tool.name))),
  );
  if (missing.length === 0) return;
  for (const tool of missing) {
    process.stderr.write(
      `twelvefa stack: ${tool.name} is not on PATH; install it: ${tool.install}\n`,
    );
  }
  process.exit(1);
}

const WORKERS = workerCount(process.argv.slice(2));
checkRequiredTools();

// PORT and LOG_LEVEL pass through to the API, as `npm start` takes them.
const { PORT = '3000', LOG_LEVEL = 'info' } = process.env;
const root = fileURLToPath(new URL('..', import.meta.url));
// Our bins run on the Node running this script: nothing else named node need be on PATH.
const bin = (name: string): string =>
  `'${process.execPath.replaceAll("'", `'\\''`)}' node_modules/.bin/${name}`;

const ports = {
  redis: await freePort(),
  api: Number(PORT),
  apiMetrics: await freePort(),
  dashboard: await freePort(),
  workerMetrics: await Promise.all(Array.from({ length: WORKERS }, () => freePort())),
};
const redisUrl = `redis://${HOST}:${ports.redis}`;
const password = randomBytes(18).toString('base64url');
const shared = { REDIS_URL: redisUrl, LOG_LEVEL };
const metricsUrl = (port: number): string => `http://${HOST}:${port}/metrics`;

process.stdout.write(`twelvefa stack (Ctrl-C stops everything):
  redis      ${redisUrl} (private, not persisted)
  api        ${HOST}:${ports.api}   calcli: npx calcli connect :${ports.api}
             metrics ${metricsUrl(ports.apiMetrics)}
  workers    ${WORKERS}, metrics ${ports.workerMetrics.map(metricsUrl).join(' ')}
  dashboard  http://${HOST}:${ports.dashboard}/   user operator, password ${password}

`);

const processes: { name: string; command: string; env?: Record<string, string> }[] = [
  {
    name: 'redis',
    command: `redis-server --port ${ports.redis} --bind ${HOST} --save '' --appendonly no --maxmemory-policy noeviction`,
  },
  {
    name: 'api',
    command: bin('twelvefa'),
    env: {
      ...shared,
      HOST,
      PORT: String(ports.api),
      METRICS_HOST: HOST,
      METRICS_PORT: String(ports.apiMetrics),
    },
  },
  ...ports.workerMetrics.map((port, index) => ({
    name: `worker-${index + 1}`,
    command: bin('twelvefa-worker'),
    env: {
      ...shared,
      METRICS_HOST: HOST,
      METRICS_PORT: String(port),
      WORKER_NAME: `stack-worker-${index + 1}`,
    },
  })),
  {
    name: 'dashboard',
    command: bin('twelvefa-dashboard'),
    env: {
      ...shared,
      DASHBOARD_HOST: HOST,
      DASHBOARD_PORT: String(ports.dashboard),
      DASHBOARD_USER: 'operator',
      DASHBOARD_PASSWORD: password,
    },
  },
];
const nameWidth = Math.max(...processes.map((entry) => entry.name.length));

// Every process gets exactly one SIGTERM, in stopping order (below).
// - Each runs in its own process group (detached), so a terminal's Ctrl-C reaches only this
//   script. With the default spawn they would share our group and also see the Ctrl-C itself.
// - None of concurrently's KillOnSignal or killOthersOn: the first signals Redis with everyone
//   else; the second counts an exit by signal as a failure and signals the survivors again.
// - `exec`, so the signal reaches the program itself, and its exit code is the one logged;
//   with no shell left in between, a plain kill() does, instead of tree-kill (which needs ps).
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
    kill: (pid, signal) => {
      try {
        process.kill(pid, signal as NodeJS.Signals);
      } catch {
        // Already gone: its close event is on its way.
      }
    },
    controllers: [new LogError({ logger }), new LogOutput({ logger }), new LogExit({ logger })],
  },
);

/** Resolves once the command's process has ended (or never started). */
function ended(command: Command): Promise<void> {
  if (command.state === 'exited' || command.state === 'errored') return Promise.resolve();
  return new Promise((resolve) => {
    command.close.subscribe(() => resolve());
    command.error.subscribe(() => resolve());
  });
}

/** Sends SIGTERM to each still running, and waits until they have ended (SIGKILL past a bound). */
async function stop(step: readonly Command[]): Promise<void> {
  const running = step.filter((command) => command.state === 'started');
  for (const command of running) command.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const command of running) command.kill('SIGKILL');
  }, KILL_AFTER_MS);
  await Promise.all(running.map(ended));
  clearTimeout(timer);
}

// The order of `processes`: Redis, the API, the workers, the dashboard.
const [redis, api, ...rest] = commands as [Command, Command, ...Command[]];
const dashboard = rest.pop() as Command;
const workers = rest;
// The API first, while the workers can still finish its calls in flight and a call nothing can
// finish ends UNAVAILABLE at its grace; then the workers, which hand back unfinished jobs
// through Redis; Redis last, as everyone before reaches it while shutting down.
const STOPPING_ORDER: readonly (readonly Command[])[] = [[api, dashboard], workers, [redis]];
let stopping = false;
async function stopAll(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(
    `--> ${why}; stopping the API and the dashboard, then workers, then Redis\n`,
  );
  for (const step of STOPPING_ORDER) await stop(step);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void stopAll(signal));
}
for (const command of commands) {
  command.close.subscribe(() => void stopAll(`${command.name.trim()} ended`));
}

// Stopped by a signal or because one process ended: either way every process has exited.
await result.then(
  () => undefined,
  () => undefined,
);
process.stdout.write('twelvefa stack stopped\n');
