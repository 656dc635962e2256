import { status } from '@grpc/grpc-js';
import { INT64_MAX } from '@twelvefa/calc';
import type { ManagedProcess } from '@twelvefa/test-support';
import { startTestRedis } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth } from '../src/health-probe/health-check.js';
import { knownPrime } from './helpers/known-primes.js';
import { freshQueueName, startedJobIds } from './helpers/queue-fixture.js';
import {
  type QueueStack,
  startQueueStack,
  startTestServer,
  type TestServer,
} from './helpers/test-server.js';
import { waitUntil } from './helpers/wait-until.js';

describe('the gRPC server on BullMQ with two worker processes', () => {
  let stack: QueueStack;
  let t: TestServer;
  let workers: readonly ManagedProcess[];

  beforeAll(async () => {
    stack = await startQueueStack('grpc', { INLINE_MAX_N: '1000' });
    ({ t, workers } = stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('answers cheap calls inline, int64 exact', async () => {
    expect(await t.client.add(INT64_MAX, 0n)).toEqual({ ok: true, value: INT64_MAX });
    expect(await t.client.add(INT64_MAX, 1n)).toMatchObject({
      ok: false,
      code: status.OUT_OF_RANGE,
    });
  });

  it('spreads distinct heavy n of one request over both workers', async () => {
    const ns = [10_000, 100_000, 1_000_000, 10_000_000, 1234];
    const result = await t.client.nthPrimes(ns.map(BigInt));
    expect(result).toEqual({ ok: true, value: ns.map((n) => BigInt(knownPrime(n))) });
    const [first, second] = workers.map((worker) => startedJobIds(worker));
    expect(first?.length).toBeGreaterThan(0);
    expect(second?.length).toBeGreaterThan(0);
    const all = [...(first ?? []), ...(second ?? [])];
    // One job per distinct n (10^7 is a flow: its parent plus chunk children), none twice.
    for (const n of ns) expect(all).toContain(`nth-prime-${n}`);
    expect(new Set(all).size).toBe(all.length);
  });

  it('reports SERVING through grpc.health.v1 while Redis is reachable', async () => {
    expect(await checkHealth(`127.0.0.1:${t.port}`)).toBe('SERVING');
  });
});

describe('when Redis goes away', () => {
  it('turns NOT_SERVING and answers heavy work UNAVAILABLE, saying Redis is unreachable', async () => {
    const redis = await startTestRedis({ own: true });
    const t = await startTestServer({
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'twelvefa-test',
      QUEUE_NAME: freshQueueName('gone'),
      INLINE_MAX_N: '1000',
    });
    try {
      await waitUntil(() => t.server.health.status === 'SERVING', 'the server is SERVING');
      await redis.kill();
      await waitUntil(() => t.server.health.status === 'NOT_SERVING', 'the server is NOT_SERVING');
      const result = await t.client.nthPrimes([5000n]);
      expect(result).toMatchObject({ ok: false, code: status.UNAVAILABLE });
      expect(result.ok === false && result.details).toMatch(/Redis is unreachable/);
      expect(await t.client.add(2n, 5n)).toEqual({ ok: true, value: 7n });
    } finally {
      await t.close();
      await redis.close();
    }
  });
});
