import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands.js';
import { loadCompose, serviceArgv, serviceEnvironment } from '../src/compose.js';
import { replayDockerfileEnvironment } from '../src/dockerfile-environment.js';
import { freePort } from '../src/free-port.js';
import { ManagedProcess } from '../src/managed-process.js';
import { repoPath } from '../src/repo-root.js';
import { workspaceBin } from '../src/workspace-bin.js';

// docker-compose.yml's topology as local processes: its Redis command, one API and
// two workers with each service's command and environment (and the image's ENV from
// the Dockerfile), then calcli as `docker compose run calcli` would run it. Only the
// addresses change: a private Redis port (never the shared 6379) and a free API port.

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
  let cliArgv: string[] = [];
  let baseEnv: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    const compose = await loadCompose(repoPath('docker-compose.yml'));
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
    const [apiCommand = 'twelvefa', ...apiArgs] = serviceArgv(compose, 'twelvefa', 'command');
    const apiEnv = redirect(serviceEnvironment(compose, 'twelvefa'), redisPort);
    expect(apiEnv.PORT).toBe('80');
    const api = ManagedProcess.start('twelvefa', ...(await binArgv(apiCommand, apiArgs)), {
      env: { ...baseEnv, ...apiEnv, PORT: String(apiPort), HOST: '127.0.0.1' },
    });
    processes.push(api);

    const [workerCommand = 'twelvefa-worker', ...workerArgs] = serviceArgv(
      compose,
      'worker',
      'command',
    );
    const workerEnv = redirect(serviceEnvironment(compose, 'worker'), redisPort);
    for (const index of [1, 2]) {
      processes.push(
        ManagedProcess.start(`worker ${index}`, ...(await binArgv(workerCommand, workerArgs)), {
          env: { ...baseEnv, ...workerEnv, WORKER_NAME: `topology-worker-${index}` },
        }),
      );
    }

    const listening = await api.waitForRecord((r) => r.msg === 'listening', 30_000);
    expect(listening.port).toBe(apiPort);
    apiAddress = `127.0.0.1:${apiPort}`;
    for (const worker of processes.slice(2)) {
      await worker.waitForRecord((r) => r.msg === 'worker ready', 30_000);
    }
    cliArgv = serviceArgv(compose, 'calcli', 'entrypoint');
  }, 120_000);

  afterAll(async () => {
    // Workers and the API first, Redis last, then the scratch directory.
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

  it('stops every twelvefa process cleanly on SIGTERM', async () => {
    for (const child of processes.slice(1)) {
      const ended = await child.stop(15_000);
      expect(ended, `${child.name}:\n${child.log.slice(-2000)}`).toEqual({ code: 0, signal: null });
    }
  });
});
