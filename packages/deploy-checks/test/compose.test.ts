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

// Debian's docker-compose (v1) parses and checks a file without any Docker engine.
// The dashboard's password is required from the environment, as a developer's shell
// or .env would give it.
function dockerComposeConfig(
  file: string,
  options: { withPassword: boolean } = { withPassword: true },
) {
  const env: NodeJS.ProcessEnv = { ...process.env, DASHBOARD_PASSWORD: 'from-the-shell' };
  if (!options.withPassword) delete env.DASHBOARD_PASSWORD;
  delete env.DASHBOARD_USER;
  return runCommand('docker-compose', ['-f', file, 'config', '-q'], { env, timeoutMs: 60_000 });
}

describe('docker-compose.yml', () => {
  let compose: YamlObject;

  beforeAll(async () => {
    compose = await loadCompose(repoPath('docker-compose.yml'));
  });

  it('follows the Compose Specification schema', () => {
    expect(composeSchemaProblems(compose)).toEqual([]);
  });

  it('passes docker-compose config', async () => {
    const result = await dockerComposeConfig(repoPath('docker-compose.yml'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('refuses to start without a dashboard password rather than default one', async () => {
    const result = await dockerComposeConfig(repoPath('docker-compose.yml'), {
      withPassword: false,
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/set DASHBOARD_PASSWORD/);
    expect(() => resolvedServiceEnvironment(compose, 'dashboard', {})).toThrow(
      /DASHBOARD_PASSWORD: set DASHBOARD_PASSWORD/,
    );
  });

  it('runs real Redis (AOF, noeviction), the API on PORT 80 behind host port 3000, scalable workers, the dashboard and the CLI', () => {
    expect(composePolicyProblems(compose)).toEqual([]);
  });

  it('takes the dashboard credentials from the environment, the user with a default', () => {
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
    const problems = composePolicyProblems(compose).join('\n');
    expect(problems).toMatch(/port 3001:3001 must be bound to 127.0.0.1/);
    expect(problems).toMatch(/DASHBOARD_PASSWORD must be required from the environment/);
    expect(problems).toMatch(/dashboard: DASHBOARD_PASSWORD must not be written/);
    expect(problems).toMatch(/no healthcheck on \/healthz/);
    expect(problems).toMatch(/worker: METRICS_PORT must be set/);
  });
});
