// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose's ${...} syntax is the input under test here
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands.js';
import {
  composePolicyProblems,
  composeSchemaProblems,
  interpolate,
  loadCompose,
  resolvedServiceEnvironment,
} from '../src/compose.js';
import { repoPath } from '../src/repo-root.js';
import type { YamlObject } from '../src/yaml-documents.js';

// Debian's docker-compose (v1) parses and checks a file without any Docker engine. It runs with
// nothing of ours in its environment, as on a fresh clone, unless `extra` adds to it.
function dockerComposeConfig(file: string, extra: NodeJS.ProcessEnv = {}) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  return runCommand('docker-compose', ['-f', file, 'config'], { env, timeoutMs: 60_000 });
}

describe('docker-compose.yml', () => {
  let compose: YamlObject;

  beforeAll(async () => {
    compose = await loadCompose(repoPath('docker-compose.yml'));
  });

  it('follows the Compose Specification schema', () => {
    expect(composeSchemaProblems(compose)).toEqual([]);
  });

  it('passes docker-compose config on an empty environment, with no .env', async () => {
    const result = await dockerComposeConfig(repoPath('docker-compose.yml'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The dashboard generates its password: none is written, none is required.
    const dashboard = resolvedServiceEnvironment(compose, 'dashboard', {});
    expect(dashboard).toMatchObject({
      DASHBOARD_USER: 'operator',
      DASHBOARD_PASSWORD: '',
      DASHBOARD_GENERATE_PASSWORD: 'true',
    });
  });

  it('runs `docker compose run --rm calcli` as the REPL connected to the API', () => {
    const calcli = (compose.services as Record<string, Record<string, unknown>>).calcli!;
    expect([calcli.entrypoint, calcli.command].flat()).toEqual([
      'calcli',
      'connect',
      'twelvefa:80',
    ]);
    expect(calcli).toMatchObject({ stdin_open: true, tty: true });
  });

  it('runs real Redis (AOF, noeviction), the API on PORT 80 behind host port 3000, scalable workers, the dashboard and the CLI', () => {
    expect(composePolicyProblems(compose)).toEqual([]);
  });

  it('takes the dashboard password from the environment when it is set', () => {
    const env = resolvedServiceEnvironment(compose, 'dashboard', { DASHBOARD_PASSWORD: 'pw' });
    expect(env).toMatchObject({
      DASHBOARD_HOST: '0.0.0.0',
      DASHBOARD_USER: 'operator',
      DASHBOARD_PASSWORD: 'pw',
    });
  });
});

describe('Compose interpolation', () => {
  it('substitutes, defaults, requires and escapes as docker compose does', () => {
    const env = { SET: 'v', EMPTY: '' };
    expect(interpolate('$SET ${SET} $$SET', env)).toBe('v v $SET');
    expect(interpolate('${EMPTY:-d} ${EMPTY-d} ${UNSET-d}', env)).toBe('d  d');
    expect(interpolate('${EMPTY?x}', env)).toBe('');
    expect(() => interpolate('${EMPTY:?needed}', env)).toThrow('EMPTY: needed');
    expect(() => interpolate('${UNSET?}', env)).toThrow('UNSET: required');
  });
});

describe('the Compose checks themselves', () => {
  let scratch = '';

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'twelvefa-compose-'));
  });

  afterAll(async () => {
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  it('reject a misspelt service key', async () => {
    const broken = 'services:\n  api:\n    image: x\n    enviroment:\n      A: b\n';
    const file = join(scratch, 'broken.yml');
    await writeFile(file, broken);
    expect(composeSchemaProblems(await loadCompose(file)).join('\n')).toMatch(/additional/i);
    const result = await dockerComposeConfig(file);
    expect(result.code).not.toBe(0);
  });

  it('reject an evicting Redis, a password in a URL and a worker that cannot scale', async () => {
    const compose = await loadCompose(repoPath('docker-compose.yml'));
    const services = compose.services as Record<string, Record<string, unknown>>;
    services.redis!.command = ['redis-server'];
    (services.worker!.environment as Record<string, string>).REDIS_URL =
      'redis://:hunter2@redis:6379';
    services.worker!.container_name = 'worker';
    const problems = composePolicyProblems(compose).join('\n');
    expect(problems).toMatch(/noeviction/);
    expect(problems).toMatch(/holds a password/);
    expect(problems).toMatch(/--scale/);
  });

  it('reject a dashboard open to the network, a default password and workers without metrics', async () => {
    const compose = await loadCompose(repoPath('docker-compose.yml'));
    const services = compose.services as Record<string, Record<string, unknown>>;
    services.dashboard!.ports = ['3001:3001'];
    services.dashboard!.healthcheck = { test: ['CMD', 'true'] };
    const env = services.dashboard!.environment as Record<string, string>;
    env.DASHBOARD_PASSWORD = '${DASHBOARD_PASSWORD:-admin}';
    delete (services.worker!.environment as Record<string, string>).METRICS_PORT;
    services.calcli!.command = ['help'];
    const problems = composePolicyProblems(compose).join('\n');
    expect(problems).toMatch(/port 3001:3001 must be bound to 127.0.0.1/);
    expect(problems).toMatch(/DASHBOARD_PASSWORD must come from the environment/);
    expect(problems).toMatch(/calcli: must run `calcli connect twelvefa:80`/);
    expect(problems).toMatch(/dashboard: DASHBOARD_PASSWORD must not be written/);
    expect(problems).toMatch(/no healthcheck on \/healthz/);
    expect(problems).toMatch(/worker: METRICS_PORT must be set/);
  });
});
