import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedProcess } from '@twelvefa/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands.js';
import { REPO_ROOT, repoPath } from '../src/repo-root.js';
import { workspaceBin } from '../src/workspace-bin.js';

/** Whether anything accepts a TCP connection on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const SCRIPT = repoPath('scripts/start-stack.mts');

/** The log's line numbers of lines matching `pattern`. */
function linesMatching(log: string, pattern: RegExp): number[] {
  return log.split('\n').flatMap((line, index) => (pattern.test(line) ? [index] : []));
}

/** A process's JSON log record with this msg, from the stack's `[name] {...}` lines. */
function record(log: string, name: string, msg: string): Record<string, unknown> {
  const line = log
    .split('\n')
    .find((entry) => entry.startsWith(`[${name}`) && entry.includes(`"msg":"${msg}"`));
  return JSON.parse(line?.slice(line.indexOf('{')) ?? '{}');
}

describe('npm run start:stack, before it starts anything', () => {
  it('without redis-server on PATH, exits 1 naming it and the command that installs it', async () => {
    // A PATH with node and nothing else: every other tool the stack needs is missing too.
    const bare = mkdtempSync(join(tmpdir(), 'twelvefa-bare-path-'));
    try {
      symlinkSync(process.execPath, join(bare, 'node'));
      const run = await runCommand(process.execPath, ['--import', 'tsx', SCRIPT], {
        cwd: REPO_ROOT,
        env: { PATH: bare, HOME: process.env.HOME },
        timeoutMs: 30_000,
      });
      expect(run.code, run.stdout).toBe(1);
      expect(run.stderr).toContain('redis-server is not on PATH');
      expect(run.stderr).toContain('apt-get install redis-server');
      expect(run.stdout).toBe('');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });

  it('refuses a worker count that is not a whole number from 1, in one line', async () => {
    const run = await runCommand(process.execPath, ['--import', 'tsx', SCRIPT, '--workers', '0'], {
      cwd: REPO_ROOT,
      timeoutMs: 30_000,
    });
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'twelvefa stack: --workers takes a whole number from 1 to 32, got "0"; see npm run start:stack -- --help\n',
    });
  });
});

// `npm run start:stack` without its build step: the same script, on a free API port.
describe('npm run start:stack', () => {
  let stack: ManagedProcess | undefined;

  // SIGTERM, so the script stops what it started (its processes run in their own process
  // groups: a SIGKILL of the script alone would leave them running).
  afterAll(async () => {
    await stack?.stop(20_000);
  });

  it('brings up Redis, the API, --workers 3 workers and the dashboard, and on Ctrl-C stops the API, then the workers, then Redis, each once', async () => {
    const apiPort = await freePort();
    stack = ManagedProcess.start(
      'stack',
      process.execPath,
      ['--import', 'tsx', SCRIPT, '--workers', '3'],
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(apiPort) },
        ownGroup: true,
      },
    );
    const dashboardLine = await stack.waitForLine((line) => line.includes('dashboard  http://'));
    const [, dashboardPort, password] =
      /http:\/\/127\.0\.0\.1:(\d+)\/\s+user operator, password (\S+)/.exec(dashboardLine) ?? [];
    const redisLine = await stack.waitForLine((line) => line.includes('redis      redis://'));
    const redisPort = Number(/:(\d+) /.exec(redisLine)?.[1]);
    const workersLine = await stack.waitForLine((line) => line.includes('workers    '));
    expect(workersLine).toMatch(
      /^ {2}workers {4}3, metrics( http:\/\/127\.0\.0\.1:\d+\/metrics){3}$/,
    );
    for (const worker of ['worker-1', 'worker-2', 'worker-3']) {
      await stack.waitForLine((line) => line.includes('worker ready') && line.includes(worker));
    }
    await stack.waitForLine((line) => line.includes('"listening"') && line.includes('[api'));
    expect(stack.log).not.toContain('[worker-4');

    // Where the banner says metrics are is where each process says it listens, and answers.
    const bannerMetrics = [
      /^ {13}metrics (\S+)$/m.exec(stack.log)?.[1],
      ...workersLine.split(' ').filter((word) => word.startsWith('http://')),
    ];
    const started = stack.log;
    const logged = ['api', 'worker-1', 'worker-2', 'worker-3'].map((name) => {
      const { host, port } = record(started, name, 'metrics listening');
      return `http://${host}:${port}/metrics`;
    });
    expect(logged.sort()).toEqual([...bannerMetrics].sort());
    for (const url of logged) expect((await fetch(url)).status, url).toBe(200);

    // Heavy work (above INLINE_MAX_N) goes through the workers.
    const calcli = await runCommand(
      process.execPath,
      [await workspaceBin('calcli'), 'connect', `:${apiPort}`, '-e', 'np 10000000'],
      { timeoutMs: 20_000 },
    );
    expect(calcli.stdout.trim(), `${calcli.stderr}\n${stack.log}`).toBe('179424673');
    expect(stack.log).toMatch(/\[worker-\d\s*\].*"msg":"job completed"/);
    await stack.waitForLine((line) => line.includes('dashboard listening'));
    const board = await fetch(`http://127.0.0.1:${dashboardPort}/api/queues`, {
      headers: { authorization: `Basic ${Buffer.from(`operator:${password}`).toString('base64')}` },
    });
    expect(board.status).toBe(200);

    // Ctrl-C as a terminal sends it: to the whole foreground process group.
    stack.signalGroup('SIGINT');
    const exit = await Promise.race([
      stack.exited,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`still running 20 s after Ctrl-C:\n${stack?.log}`)),
          20_000,
        ),
      ),
    ]);
    expect(exit.code, stack.log).toBe(0);
    expect(stack.log).toContain('twelvefa stack stopped');
    expect(stack.log).not.toContain('second signal');
    const exits = [...stack.log.matchAll(/^\[(\S+)\s*\] .* exited with code 0$/gm)].map(
      (match) => match[1],
    );
    expect(exits).toHaveLength(6);
    // The API (and the dashboard) have exited before any worker is told to stop, so the workers
    // could still finish the API's calls; the workers have exited before Redis is told to stop,
    // so they could hand back their jobs.
    const log = stack.log;
    const exited = (name: string) =>
      linesMatching(log, new RegExp(`^\\[${name}\\s*\\] .* exited with code 0$`));
    const frontEnds = [...exited('api'), ...exited('dashboard')];
    const workersStopping = linesMatching(log, /^\[worker-\d\s*\] .*"msg":"shutting down"/);
    const workersExited = exited('worker-\\d');
    const redisStopping = linesMatching(log, /^\[redis\s*\] .*Received SIGTERM/);
    expect(frontEnds).toHaveLength(2);
    expect(workersStopping).toHaveLength(3);
    expect(workersExited).toHaveLength(3);
    expect(redisStopping).toHaveLength(1);
    expect(Math.max(...frontEnds), log).toBeLessThan(Math.min(...workersStopping));
    expect(Math.max(...workersExited), log).toBeLessThan(Math.min(...redisStopping));
    expect(exits.at(-1)).toBe('redis');
    for (const port of [apiPort, Number(dashboardPort), redisPort]) {
      expect(await listening(port), `port ${port} still open`).toBe(false);
    }
  });
});
