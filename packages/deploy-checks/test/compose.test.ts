import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands.js';
import { composePolicyProblems, composeSchemaProblems, loadCompose } from '../src/compose.js';
import { repoPath } from '../src/repo-root.js';
import type { YamlObject } from '../src/yaml-documents.js';

// Debian's docker-compose (v1) parses and checks a file without any Docker engine.
function dockerComposeConfig(file: string) {
  return runCommand('docker-compose', ['-f', file, 'config', '-q'], { timeoutMs: 60_000 });
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

  it('runs real Redis (AOF, noeviction), the API on PORT 80 behind host port 3000, scalable workers and the CLI', () => {
    expect(composePolicyProblems(compose)).toEqual([]);
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
});
