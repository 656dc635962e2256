import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedProcess } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands.js';
import { loadCompose, resolvedServiceEnvironment, serviceArgv } from '../src/compose.js';
import { replayDockerfileEnvironment } from '../src/dockerfile-environment.js';
import { repoPath } from '../src/repo-root.js';
import { workspaceBin } from '../src/workspace-bin.js';

// docker-compose.yml's topology as local processes: its Redis command, one API, two
// workers and the queue dashboard with each service's command and environment (and
// the image's ENV from the Dockerfile), then calcli as `docker compose run calcli`
// would run it. Only the addresses change: a private Redis port (never the shared
// 6379), free ports on 127.0.0.1 for the API, the dashboard and each metrics
// endpoint. Compose interpolates from an empty environment, as on a fresh clone: the
// dashboard generates its password and logs it once.

/** How to start a workspace bin here: node and the script npm would link. */
async function binArgv(name: string, args: readonly string[]): Promise<[string, string[]]> {
  return [process.execPath, [await workspaceBin(name), ...args]];
}

function redirect(env: Record<string, string>, redisPort: number): Record<string, string> {
  const url = new URL(env.REDIS_URL ?? '');
  if (url.hostname !== 'redis') throw new Error(`REDIS_URL should name the redis service: ${url}`);
  url.hostname = '127.0.0.1';
  url.port = String(redisPort);
  return { ...env, REDIS_URL: url.toString().replace(/\/$/, '') };
}

describe('the Compose topology as local processes', () => {
  const processes: ManagedProcess[] = [];
  let scratch = '';
  let redisPort = 0;
  let apiAddress = '';
  let apiMetrics = '';
  const workerMetrics: string[] = [];
  let dashboardUrl = '';
  let dashboardAuth = '';
  let cliArgv: string[] = [];
  let cliCommand: string[] = [];
  let baseEnv: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    const compose = await loadCompose(repoPath('docker-compose.yml'));
    const composeEnv = {};
    const serviceEnv = (name: string) =>
      redirect(resolvedServiceEnvironment(compose, name, composeEnv), redisPort);
    scratch = await mkdtemp(join(tmpdir(), 'twelvefa-topology-'));
    redisPort = await freePort();
    const imageEnv = await replayDockerfileEnvironment(repoPath('Dockerfile'), 'runtime');
    baseEnv = { ...process.env, ...imageEnv };

    const [redisServer = 'redis-server', ...redisArgs] = serviceArgv(compose, 'redis', 'command');
    const redis = ManagedProcess.start(
      'redis',
      redisServer,
      [
        ...redisArgs,
        '--port',
        String(redisPort),
        '--bind',
        '127.0.0.1',
        '--dir',
        scratch,
        '--save',
        '',
      ],
      { cwd: scratch },
    );
    processes.push(redis);
    await redis.waitForLine((line) => line.includes('Ready to accept connections'), 20_000);

    const apiPort = await freePort();
    const apiMetricsPort = await freePort();
    const [apiCommand = 'twelvefa', ...apiArgs] = serviceArgv(compose, 'twelvefa', 'command');
    const apiEnv = serviceEnv('twelvefa');
    expect(apiEnv.PORT).toBe('80');
    expect(apiEnv.METRICS_PORT).toBe('9464');
    const api = ManagedProcess.start('twelvefa', ...(await binArgv(apiCommand, apiArgs)), {
      env: {
        ...baseEnv,
        ...apiEnv,
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        METRICS_PORT: String(apiMetricsPort),
        METRICS_HOST: '127.0.0.1',
      },
    });
    processes.push(api);

    const [workerCommand = 'twelvefa-worker', ...workerArgs] = serviceArgv(
      compose,
      'worker',
      'command',
    );
    const workerEnv = serviceEnv('worker');
    expect(workerEnv.METRICS_PORT).toBe('9464');
    const workers: ManagedProcess[] = [];
    for (const index of [1, 2]) {
      const metricsPort = await freePort();
      workerMetrics.push(`http://127.0.0.1:${metricsPort}/metrics`);
      workers.push(
        ManagedProcess.start(`worker ${index}`, ...(await binArgv(workerCommand, workerArgs)), {
          env: {
            ...baseEnv,
            ...workerEnv,
            WORKER_NAME: `topology-worker-${index}`,
            METRICS_PORT: String(metricsPort),
            METRICS_HOST: '127.0.0.1',
          },
        }),
      );
    }
    processes.push(...workers);

    const dashboardPort = await freePort();
    const [dashboardCommand = 'twelvefa-dashboard', ...dashboardArgs] = serviceArgv(
      compose,
      'dashboard',
      'command',
    );
    const dashboardEnv = serviceEnv('dashboard');
    expect(dashboardEnv.DASHBOARD_HOST).toBe('0.0.0.0');
    const dashboard = ManagedProcess.start(
      'dashboard',
      ...(await binArgv(dashboardCommand, dashboardArgs)),
      {
        env: {
          ...baseEnv,
          ...dashboardEnv,
          DASHBOARD_PORT: String(dashboardPort),
          DASHBOARD_HOST: '127.0.0.1',
        },
      },
    );
    processes.push(dashboard);
    dashboardUrl = `http://127.0.0.1:${dashboardPort}`;

    const listening = await api.waitForRecord((r) => r.msg === 'listening', 30_000);
    expect(listening.port).toBe(apiPort);
    apiAddress = `127.0.0.1:${apiPort}`;
    apiMetrics = `http://127.0.0.1:${apiMetricsPort}/metrics`;
    for (const worker of workers) {
      await worker.waitForRecord((r) => r.msg === 'worker ready', 30_000);
    }
    const board = await dashboard.waitForRecord((r) => r.msg === 'dashboard listening', 30_000);
    expect(board).toMatchObject({ port: dashboardPort, auth: true, actions: false });
    const generated = await dashboard.waitForRecord((r) => typeof r.password === 'string');
    expect(generated.user).toBe('operator');
    dashboardAuth = `Basic ${Buffer.from(`operator:${String(generated.password)}`).toString('base64')}`;
    cliArgv = serviceArgv(compose, 'calcli', 'entrypoint');
    cliCommand = serviceArgv(compose, 'calcli', 'command');
  }, 120_000);

  afterAll(async () => {
    // The dashboard, workers and the API first, Redis last, then the scratch directory.
    for (const child of [...processes].reverse()) await child.stop(15_000);
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  async function calc(command: string): Promise<string> {
    const [cli = 'calcli', ...cliArgs] = cliArgv;
    const [file, args] = await binArgv(cli, [...cliArgs, 'connect', apiAddress, '-e', command]);
    const result = await runCommand(file, args, {
      env: baseEnv,
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.trim();
  }

  it('answers add, max and nth primes through calcli', async () => {
    expect(await calc('add 2 5')).toBe('7');
    expect(await calc('max 2 5')).toBe('5');
    expect(await calc('np 2 12')).toBe('3 37');
    expect(await calc('np 9999 1234 1 2 3 4')).toBe('104723 10061 2 3 5 7');
  });

  it('runs `docker compose run --rm calcli` connected to the API, reading what is typed', async () => {
    const [cli = 'calcli', ...cliArgs] = cliArgv;
    // The service's own command, with the API's address here instead of twelvefa:80.
    const command = cliCommand.map((arg) => (arg === 'twelvefa:80' ? apiAddress : arg));
    expect(command).toEqual(['connect', apiAddress]);
    const [file, args] = await binArgv(cli, [...cliArgs, ...command]);
    const result = await runCommand(file, args, {
      env: baseEnv,
      input: 'np 9999 1234 1 2 3 4\n',
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('104723 10061 2 3 5 7');
  });

  it("answers the workers' Compose health check, /readyz, and the API's /livez", async () => {
    for (const url of workerMetrics) {
      expect((await fetch(url.replace(/\/metrics$/, '/readyz'))).status).toBe(200);
    }
    expect((await fetch(apiMetrics.replace(/\/metrics$/, '/livez'))).status).toBe(200);
  });

  it('reads commands piped to calcli, as a script would', async () => {
    const [cli = 'calcli', ...cliArgs] = cliArgv;
    const [file, args] = await binArgv(cli, [...cliArgs, 'connect', apiAddress]);
    const result = await runCommand(file, args, {
      env: baseEnv,
      input: 'add 2 5\nnp 2 12\n',
      timeoutMs: 60_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['7', '3 37']);
  });

  it('sends heavy nth-prime work through the workers via Redis', async () => {
    // Above INLINE_MAX_N (4,000,000 by default), so the API queues a BullMQ job.
    expect(await calc('np 5000000')).toBe('86028121');
    const completed = await runCommand('redis-cli', [
      '-p',
      String(redisPort),
      'zcard',
      'twelvefa:nth-prime:completed',
    ]);
    expect(Number(completed.stdout.trim())).toBeGreaterThan(0);
  });

  it('counts each call on the API’s /metrics, exactly', async () => {
    const before = await scrape(apiMetrics);
    await calc('add 2 5');
    await calc('add 40 2');
    const after = await scrape(apiMetrics);
    const series =
      'grpc_server_handled_total{grpc_type="unary",grpc_service="calc.Calc",grpc_method="Add",grpc_code="OK"}';
    expect(sample(after, series) - sample(before, series)).toBe(2);
  });

  it('exports the queue on the API and the jobs each worker ran', async () => {
    // The heavy test above ran np 5000000 through the workers.
    const api = await scrape(apiMetrics);
    expect(sample(api, 'bullmq_job_count{queue="nth-prime",state="completed"}')).toBeGreaterThan(0);
    let completed = 0;
    for (const url of workerMetrics) {
      const text = await scrape(url);
      expect(text).toMatch(/^process_cpu_seconds_total /m);
      completed += sumSamples(text, 'twelvefa_jobs_total', 'outcome="completed"');
    }
    expect(completed).toBeGreaterThan(0);
  });

  it('serves the dashboard: /healthz open, the board behind basic auth', async () => {
    const health = await fetch(`${dashboardUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    const anonymous = await fetch(`${dashboardUrl}/api/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = await fetch(`${dashboardUrl}/api/queues`, {
      headers: { authorization: `Basic ${Buffer.from('operator:wrong').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    const page = await fetch(`${dashboardUrl}/`, { headers: { authorization: dashboardAuth } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/twelvefa jobs/);
  });

  it('lists the nth-prime queue and its completed jobs on the dashboard', async () => {
    const response = await fetch(`${dashboardUrl}/api/queues`, {
      headers: { authorization: dashboardAuth },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[];
    };
    const queue = body.queues.find((q) => q.name === 'nth-prime');
    expect(queue, JSON.stringify(body).slice(0, 500)).toBeDefined();
    expect(queue?.readOnlyMode).toBe(true);
    expect(queue?.counts.completed ?? 0).toBeGreaterThan(0);
  });

  it('stops every twelvefa process cleanly on SIGTERM', async () => {
    for (const child of processes.slice(1)) {
      const ended = await child.stop(15_000);
      expect(ended, `${child.name}:\n${child.log.slice(-2000)}`).toEqual({ code: 0, signal: null });
    }
  });
});

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return response.text();
}

/** The value of one exact series (name and labels as exposed), 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

/** The sum of a metric's series whose labels contain `label`. */
function sumSamples(text: string, name: string, label: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(label))
    .reduce((total, l) => total + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
