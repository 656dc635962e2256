import { constants, existsSync } from 'node:fs';
import { access, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands.js';
import {
  type ReplayedStage,
  replayDockerfile,
  stageEnvironment,
  stagePath,
  stageSearchPath,
} from '../src/dockerfile-replay.js';
import { REPO_ROOT, repoPath } from '../src/repo-root.js';

/** Resolves a command of the image (exec form) the way its PATH would: executable files only. */
async function resolveInStage(stage: ReplayedStage, command: string): Promise<string> {
  for (const dir of stageSearchPath(stage).split(':')) {
    if (dir === '') continue;
    try {
      await access(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not here, or not executable
    }
  }
  throw new Error(`${command} is not an executable on the image's PATH`);
}

describe('the Dockerfile, replayed outside Docker', () => {
  let scratch = '';
  let runtime: ReplayedStage;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'twelvefa-image-'));
    const stages = await replayDockerfile({
      context: REPO_ROOT,
      dockerfile: repoPath('Dockerfile'),
      scratch,
    });
    const found = stages.get('runtime');
    if (!found) throw new Error('the Dockerfile has no stage named runtime');
    runtime = found;
  }, 900_000);

  afterAll(async () => {
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  it('runs as an unprivileged user with production settings', () => {
    expect(runtime.user).toBe('1000:1000');
    expect(runtime.env.NODE_ENV).toBe('production');
    expect(runtime.env.PORT).toBe('80');
    expect(runtime.exposed).toContain('80');
    expect(runtime.cmd).toEqual(['twelvefa']);
  });

  it('ships production dependencies only', async () => {
    const lockfile = JSON.parse(
      await readFile(stagePath(runtime, '/app/package-lock.json'), 'utf8'),
    ) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lockfile.packages)
      .filter(([path, entry]) => entry.dev === true && path.includes('node_modules/'))
      .map(([path]) => path);
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/vitest', 'node_modules/turbo']));
    const shipped = devOnly.filter((path) => existsSync(stagePath(runtime, `/app/${path}`)));
    expect(shipped).toEqual([]);
    const modules = new Set(await readdir(stagePath(runtime, '/app/node_modules')));
    for (const needed of ['@grpc', 'bullmq', 'ioredis', 'xstate', 'enquirer', '@twelvefa']) {
      expect(modules.has(needed), `${needed} is needed at run time`).toBe(true);
    }
  });

  it('ships the dependencies with the patches in patches/ applied', async () => {
    const patches = (await readdir(repoPath('patches'))).filter((name) => name.endsWith('.patch'));
    expect(patches.length).toBeGreaterThan(0);
    for (const name of patches) {
      const patch = await readFile(repoPath('patches', name), 'utf8');
      // Each file's section: its path after "+++ b/", then the lines the patch adds.
      for (const section of patch.split(/^diff --git /m).slice(1)) {
        const path = /^\+\+\+ b\/(.+)$/m.exec(section)?.[1];
        if (path === undefined) throw new Error(`${name}: a section names no file`);
        const shipped = await readFile(stagePath(runtime, `/app/${path}`), 'utf8');
        const added = section
          .split('\n')
          .filter((line) => line.startsWith('+') && !line.startsWith('+++'))
          .map((line) => line.slice(1));
        expect(added.length, `${name}: ${path}`).toBeGreaterThan(0);
        for (const line of added) expect(shipped, `${name}: ${path}`).toContain(line);
      }
    }
  });

  it('starts the API from the image command and reports SERVING to twelvefa-health', async () => {
    const env = { ...stageEnvironment(runtime), PORT: '0', HOST: '127.0.0.1' };
    const cwd = stagePath(runtime, runtime.workdir);
    const [command = '', ...args] = runtime.cmd;
    const api = ManagedProcess.start('image API', await resolveInStage(runtime, command), args, {
      cwd,
      env,
    });
    try {
      const listening = await api.waitForRecord((r) => r.msg === 'listening', 30_000);
      const address = `127.0.0.1:${String(listening.port)}`;
      // SERVING once the compute threads have warmed up, a second or so after listening.
      await api.waitForRecord((r) => r.msg === 'job runner' && r.ready === true, 30_000);

      const health = await runCommand(await resolveInStage(runtime, 'twelvefa-health'), [address], {
        cwd,
        env,
      });
      expect(health.code, health.stdout + health.stderr).toBe(0);

      const cli = await runCommand(
        await resolveInStage(runtime, 'calcli'),
        ['connect', address, '-e', 'np 2 12'],
        { cwd, env },
      );
      expect(cli.stdout.trim(), cli.stderr).toBe('3 37');
    } finally {
      await api.stop();
    }
  });
});

describe('the Dockerfile replay', () => {
  let scratch = '';

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'twelvefa-replay-'));
  });

  afterAll(async () => {
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  it('fails on a RUN step that fails', async () => {
    await writeFile(
      join(scratch, 'Dockerfile'),
      'FROM scratch AS a\nWORKDIR /w\nRUN test -f missing\n',
    );
    await expect(
      replayDockerfile({
        context: scratch,
        dockerfile: join(scratch, 'Dockerfile'),
        scratch: join(scratch, 'out-run'),
      }),
    ).rejects.toThrow(/RUN test -f missing/);
  });

  it('fails on a COPY of a file the .dockerignore leaves out', async () => {
    await writeFile(join(scratch, 'secret.txt'), 'x');
    await writeFile(join(scratch, '.dockerignore'), 'secret.txt\n');
    await writeFile(join(scratch, 'Dockerfile'), 'FROM scratch AS a\nCOPY secret.txt ./\n');
    await expect(
      replayDockerfile({
        context: scratch,
        dockerfile: join(scratch, 'Dockerfile'),
        scratch: join(scratch, 'out-copy'),
      }),
    ).rejects.toThrow(/not in the build context/);
  });
});
