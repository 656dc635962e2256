import { connect } from 'node:net';
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

// `npm run start:stack` without its build step: the same script, on a free API port.
describe('npm run start:stack', () => {
  let stack: ManagedProcess | undefined;

  // SIGTERM, so the script stops what it started (its processes run in their own process
  // groups: a SIGKILL of the script alone would leave them running).
  afterAll(async () => {
    await stack?.stop(20_000);
  });

  it('brings up Redis, the API, two workers and the dashboard, and stops them all, each once, on Ctrl-C', async () => {
    const apiPort = await freePort();
    stack = ManagedProcess.start(
      'stack',
      process.execPath,
      ['--import', 'tsx', repoPath('scripts/start-stack.mts')],
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
    await stack.waitForLine((line) => line.includes('worker ready') && line.includes('worker-2'));
    await stack.waitForLine((line) => line.includes('worker ready') && line.includes('worker-1'));
    await stack.waitForLine((line) => line.includes('"listening"') && line.includes('[api'));

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
    // Redis last: the others still reach it while they shut down.
    const exits = [...stack.log.matchAll(/^\[(\S+)\s*\] .* exited with code 0$/gm)].map(
      (match) => match[1],
    );
    expect(exits).toHaveLength(5);
    expect(exits.at(-1)).toBe('redis');
    for (const port of [apiPort, Number(dashboardPort), redisPort]) {
      expect(await listening(port), `port ${port} still open`).toBe(false);
    }
  });
});
