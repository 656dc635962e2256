import { spawnSync } from 'node:child_process';
import { status } from '@grpc/grpc-js';
import { ManagedProcess } from '@twelvefa/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from './helpers/bins.js';
import { TestCalcClient } from './helpers/calc-client.js';
import { knownPrime, SLOW_N } from './helpers/known-primes.js';

const started: ManagedProcess[] = [];

function spawnApi(env: Record<string, string> = {}): ManagedProcess {
  const api = ManagedProcess.node(BIN.api, { PORT: '0', HOST: '127.0.0.1', ...env });
  started.push(api);
  return api;
}

async function listeningPort(api: ManagedProcess): Promise<number> {
  const line = await api.waitForRecord((entry) => entry.msg === 'listening');
  expect(typeof line.port).toBe('number');
  return Number(line.port);
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((process) => process.kill()));
});

describe('the twelvefa bin', () => {
  it('logs "listening" with the bound port within a second, as JSON on stdout', async () => {
    const startedAt = Date.now();
    const api = spawnApi();
    const port = await listeningPort(api);
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(port).toBeGreaterThan(0);
    const client = new TestCalcClient(port);
    expect(await client.add(2n, 5n)).toEqual({ ok: true, value: 7n });
    client.close();
    // Cheap calls are answered at once; readiness waits for the compute threads to warm up.
    await api.waitForRecord((entry) => entry.msg === 'job runner' && entry.ready === true);
    const health = spawnSync(process.execPath, [BIN.health, `127.0.0.1:${port}`], {
      encoding: 'utf8',
    });
    expect(health.status).toBe(0);
    expect(health.stdout.trim()).toBe('SERVING');
  });

  it('on SIGTERM lets calls in flight finish, logs each request, and exits 0', async () => {
    const api = spawnApi({ INLINE_MAX_N: '1000' });
    const client = new TestCalcClient(await listeningPort(api));
    // Connected first: the calls below are in flight on an open connection when SIGTERM lands.
    expect(await client.add(1n, 1n)).toEqual({ ok: true, value: 2n });
    const calls = [client.nthPrimes([BigInt(SLOW_N)]), client.nthPrimes([10_000_000n])];
    await new Promise((resolve) => setTimeout(resolve, 200));
    api.signal('SIGTERM');
    expect(await Promise.all(calls)).toEqual([
      { ok: true, value: [BigInt(knownPrime(SLOW_N))] },
      { ok: true, value: [BigInt(knownPrime(10_000_000))] },
    ]);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    client.close();
    const requests = api.records.filter(
      (line) => line.msg === 'request' && line.method === 'NthPrimes',
    );
    expect(requests.map((line) => line.status)).toEqual(['OK', 'OK']);
    for (const line of requests) {
      expect(line).toMatchObject({ method: 'NthPrimes', durationMs: expect.any(Number) });
      expect(line.requestId).toEqual(expect.any(String));
    }
  });

  it('ends calls still running when SHUTDOWN_GRACE_MS runs out UNAVAILABLE (retry), and exits 0', async () => {
    const api = spawnApi({ INLINE_MAX_N: '1000', SHUTDOWN_GRACE_MS: '100' });
    const client = new TestCalcClient(await listeningPort(api));
    expect(await client.add(1n, 1n)).toEqual({ ok: true, value: 2n });
    const call = client.nthPrimes([BigInt(SLOW_N)]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    api.signal('SIGTERM');
    expect(await call).toMatchObject({
      ok: false,
      code: status.UNAVAILABLE,
      details: 'the server is shutting down; retry',
    });
    expect(await api.exited).toEqual({ code: 0, signal: null });
    client.close();
    const heavy = api.records.find((line) => line.msg === 'request' && line.method === 'NthPrimes');
    expect(heavy?.status).toBe('UNAVAILABLE');
  });

  it('refuses a bad variable at start-up, naming it and what is allowed', () => {
    const result = spawnSync(process.execPath, [BIN.api], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', INLINE_MAX_N: '5000000' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT must be an integer from 0 to 65535, got "eighty"');
    expect(result.stderr).toContain('INLINE_MAX_N must be an integer from 0 to 4000000');
  });
});

describe('the twelvefa-health bin', () => {
  it('exits 1 when nothing answers at the address, saying so in one line', () => {
    const result = spawnSync(process.execPath, [BIN.health, '127.0.0.1:1'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'twelvefa-health: 127.0.0.1:1: UNAVAILABLE: connection refused (is the server running on that port?)\n',
    );
  });
});

describe('the twelvefa-worker bin', () => {
  it('refuses to start without REDIS_URL', () => {
    const result = spawnSync(process.execPath, [BIN.worker], {
      env: { PATH: process.env.PATH ?? '' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('REDIS_URL is required');
  });
});
