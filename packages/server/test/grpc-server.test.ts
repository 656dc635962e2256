import { status } from '@grpc/grpc-js';
import { INT64_MAX, INT64_MIN } from '@twelvefa/calc';
import { referenceNthPrime, takeNodeWarnings } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth } from '../src/health-probe/health-check.js';
import { knownPrime, MEDIUM_N, SLOW_N } from './helpers/known-primes.js';
import { requestLines, startTestServer, type TestServer } from './helpers/test-server.js';
import { waitUntil } from './helpers/wait-until.js';

const U64_MAX = 2n ** 64n - 1n;

describe('the gRPC server on the embedded runner', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ INLINE_MAX_N: '1000', MAX_BATCH: '10', LOG_LEVEL: 'debug' });
  });
  afterAll(() => t.close());

  describe('when answering cheap calls', () => {
    it('round-trips int64 exactly at the type limits', async () => {
      expect(await t.client.add(INT64_MAX, 0n)).toEqual({ ok: true, value: INT64_MAX });
      expect(await t.client.add(INT64_MIN, 0n)).toEqual({ ok: true, value: INT64_MIN });
      expect(await t.client.add(INT64_MAX, INT64_MIN)).toEqual({ ok: true, value: -1n });
      expect(await t.client.max(INT64_MIN, INT64_MAX)).toEqual({ ok: true, value: INT64_MAX });
      expect(await t.client.max(INT64_MIN, INT64_MIN + 1n)).toEqual({
        ok: true,
        value: INT64_MIN + 1n,
      });
    });

    it('gives OUT_OF_RANGE when a sum leaves int64, both ways', async () => {
      for (const [a, b] of [
        [INT64_MAX, 1n],
        [INT64_MIN, -1n],
      ] as const) {
        const result = await t.client.add(a, b);
        expect(result).toMatchObject({ ok: false, code: status.OUT_OF_RANGE });
        expect(result.ok === false && result.details).toContain('overflows int64');
      }
    });

    it('answers the README example exactly', async () => {
      expect(await t.client.nthPrimes([9999n, 1234n, 1n, 2n, 3n, 4n])).toEqual({
        ok: true,
        value: [104723n, 10061n, 2n, 3n, 5n, 7n],
      });
    });
  });

  describe('when the input is bad', () => {
    it.each([
      ['an empty list', [], status.INVALID_ARGUMENT],
      ['n = 0', [5n, 0n], status.INVALID_ARGUMENT],
      ['n = MAX_N + 1', [10_000_000_000_000_001n], status.OUT_OF_RANGE],
      ['n = 2^64 - 1 (the uint64 limit)', [U64_MAX], status.OUT_OF_RANGE],
      ['more n than MAX_BATCH', Array.from({ length: 11 }, () => 1n), status.RESOURCE_EXHAUSTED],
    ])('answers %s with its status, never INTERNAL or UNKNOWN', async (_, n, code) => {
      const result = await t.client.nthPrimes(n);
      expect(result).toMatchObject({ ok: false, code });
      expect(result.ok === false && result.details).not.toBe('internal error');
    });
  });

  describe('when the work is heavy', () => {
    it('computes n above INLINE_MAX_N in jobs, uint64 exact', async () => {
      const result = await t.client.nthPrimes([1_000_000n, 12n, 10_000n]);
      expect(result).toEqual({
        ok: true,
        value: [knownPrime(1_000_000), 37n, knownPrime(10_000)].map(BigInt),
      });
    });

    it('computes N concurrent identical requests once', async () => {
      const n = 100_000n;
      const before = t.registry.stats();
      const results = await Promise.all(
        Array.from({ length: 8 }, () => t.client.nthPrimes([n, 1n])),
      );
      for (const result of results) {
        expect(result).toEqual({ ok: true, value: [BigInt(knownPrime(100_000)), 2n] });
      }
      const after = t.registry.stats();
      expect(after.started - before.started).toBe(1);
      expect(after.joined + after.cacheHits - before.joined - before.cacheHits).toBe(7);
    });

    it('logs every transition of the request actor with its request id', async () => {
      await t.client.nthPrimes([2000n]);
      const [last] = requestLines(t.lines).slice(-1);
      const transitions = t.lines
        .filter((line) => line.msg === 'request transition' && line.requestId === last?.requestId)
        .map((line) => JSON.stringify(line.state));
      expect(transitions).toEqual([
        '"validating"',
        '"answeringInline"',
        '"computing"',
        '"replied"',
      ]);
    });
  });

  describe('when the client gives up', () => {
    it('cancels: the job stops, nothing is left pending, the log says CANCELLED', async () => {
      const controller = new AbortController();
      const call = t.client.nthPrimes([BigInt(SLOW_N)], { signal: controller.signal });
      await waitUntil(() => t.registry.stats().inFlight === 1, 'the job is in flight');
      controller.abort();
      expect(await call).toMatchObject({ ok: false, code: status.CANCELLED });
      await waitUntil(
        () => t.registry.stats().inFlight === 0 && t.registry.runner.pendingCount() === 0,
        'no job is left',
      );
      await waitUntil(
        () => requestLines(t.lines).some((line) => line.status === 'CANCELLED'),
        'the request line says CANCELLED',
      );
    });

    it('ends with DEADLINE_EXCEEDED when the deadline passes, leaving no job', async () => {
      const result = await t.client.nthPrimes([BigInt(SLOW_N)], { deadlineMs: 300 });
      expect(result).toMatchObject({ ok: false, code: status.DEADLINE_EXCEEDED });
      await waitUntil(
        () => t.registry.stats().inFlight === 0 && t.registry.runner.pendingCount() === 0,
        'no job is left',
      );
    });
  });

  describe('when asked for its health and its schema', () => {
    it('reports SERVING for the server and calc.Calc, UNKNOWN services are an error', async () => {
      expect(await checkHealth(`127.0.0.1:${t.port}`)).toBe('SERVING');
      expect(await checkHealth(`127.0.0.1:${t.port}`, 'calc.Calc')).toBe('SERVING');
      await expect(checkHealth(`127.0.0.1:${t.port}`, 'nope')).rejects.toMatchObject({
        code: status.NOT_FOUND,
      });
    });
  });
});

describe('when one call asks for many heavy n', () => {
  it('waits for all of them under one abort listener: no listener-leak warning at 20 n', async () => {
    const t = await startTestServer({ INLINE_MAX_N: '1000', MAX_BATCH: '20' });
    try {
      const ns = Array.from({ length: 20 }, (_, i) => 2000 + i);
      expect(await t.client.nthPrimes(ns.map(BigInt))).toEqual({
        ok: true,
        value: ns.map((n) => BigInt(referenceNthPrime(n))),
      });
      // One listener per n tripped Node's limit of 10 on the call's signal.
      expect(await takeNodeWarnings()).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('when too much heavy work is in flight', () => {
  it('answers RESOURCE_EXHAUSTED beyond MAX_IN_FLIGHT distinct jobs', async () => {
    const t = await startTestServer({ INLINE_MAX_N: '1000', MAX_IN_FLIGHT: '1' });
    try {
      const controller = new AbortController();
      const first = t.client.nthPrimes([BigInt(SLOW_N)], { signal: controller.signal });
      await waitUntil(() => t.registry.stats().inFlight === 1, 'one job is in flight');
      const second = await t.client.nthPrimes([BigInt(SLOW_N) - 1n]);
      expect(second).toMatchObject({ ok: false, code: status.RESOURCE_EXHAUSTED });
      controller.abort();
      await first;
    } finally {
      await t.close();
    }
  });
});

describe('when the server closes', () => {
  it('goes NOT_SERVING, lets calls in flight finish, and closes twice', async () => {
    const t = await startTestServer({ INLINE_MAX_N: '1000' });
    // About 0.4 s on warm threads: still in flight when the close begins.
    const call = t.client.nthPrimes([BigInt(MEDIUM_N)]);
    await waitUntil(() => t.registry.stats().inFlight === 1, 'the job is in flight');
    const closing = t.server.close();
    expect(t.server.health.status).toBe('NOT_SERVING');
    expect(await call).toEqual({ ok: true, value: [BigInt(knownPrime(MEDIUM_N))] });
    await closing;
    await t.close();
  });
});
