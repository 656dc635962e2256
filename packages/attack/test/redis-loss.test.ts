import { status } from '@grpc/grpc-js';
import { nthPrime } from '@twelvefa/calc';
import type { ManagedProcess } from '@twelvefa/test-support';
import { RawGrpcClient, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { addCall, type Ended, nthPrimesCall, tallyCodes, timedNthPrimes } from '../src/calls.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

// Distinct heavy n of about 0.2 s each on one worker thread: 8 of them keep two workers busy
// for about a second, so the kill lands with calls queued, running and waiting.
const HEAVY_NS = Array.from({ length: 8 }, (_, i) => 300_000_000_000 + 7919 * i);
const DEADLINE_S = 30;

describe.each([
  ['empty', false],
  ['with its append-only file', true],
])('Redis killed (SIGKILL) and restarted %s under heavy calls in flight', (_, appendOnly) => {
  let redis: TestRedis;
  let api: Api;
  let workers: ManagedProcess[];
  let client: RawGrpcClient;

  afterEach(async () => {
    client?.close();
    await api?.process.stop();
    await Promise.all(workers.map((worker) => worker.stop()));
    await redis?.close();
  });

  it('ends every call OK (its lost job added again) well before its deadline, and recovers within seconds', async () => {
    redis = await startTestRedis({ appendOnly, own: true });
    const env = { ...queueEnv(redis.url, appendOnly ? 'aof' : 'empty'), RESULT_CACHE_SIZE: '0' };
    workers = await Promise.all([startWorker(env), startWorker(env)]);
    api = await startApi(env);
    client = new RawGrpcClient(`127.0.0.1:${api.port}`);

    const calls = HEAVY_NS.map((n) => timedNthPrimes(client, nthPrimesCall(n), `${DEADLINE_S}S`));
    // Cheap calls go on throughout: they never needed Redis.
    let adds = 0;
    let addFailures = 0;
    let loading = true;
    const load = (async () => {
      while (loading) {
        const answer = await client.send(addCall(2, 5)).catch(() => undefined);
        if (answer?.status === status.OK) adds += 1;
        else addFailures += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.race(
      workers.map((worker) => worker.waitForRecord((line) => line.msg === 'job started')),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await redis.restart();
    const restartedAt = performance.now();
    // Recovered: a new call that needs a worker (above INLINE_MAX_N) answered again.
    let recovered: Ended;
    for (;;) {
      recovered = await timedNthPrimes(client, nthPrimesCall(50_000_017), '5S');
      if (recovered.code === status.OK || performance.now() - restartedAt > 20_000) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const recoveredMs = performance.now() - restartedAt;
    const results = await Promise.all(calls);
    loading = false;
    await load;
    const slowest = Math.max(...results.map((result) => result.ms));
    console.log(
      `Redis restarted ${appendOnly ? 'from its AOF' : 'empty'}: heavy calls ${JSON.stringify(tallyCodes(results))}, ` +
        `slowest ${(slowest / 1000).toFixed(1)} s (deadline ${DEADLINE_S} s); new heavy calls answered again ` +
        `${(recoveredMs / 1000).toFixed(2)} s after the restart; Add ${adds} OK, ${addFailures} failed`,
    );
    expect(recovered.code).toBe(status.OK);
    for (const [i, result] of results.entries()) {
      expect([status.OK, status.UNAVAILABLE], result.details).toContain(result.code);
      if (result.code === status.OK) {
        expect(result.primes).toEqual([BigInt(nthPrime(HEAVY_NS[i] as number))]);
      }
    }
    // Re-queued rather than given up: every call answered, none near its deadline.
    expect(tallyCodes(results)).toEqual({ OK: HEAVY_NS.length });
    expect(slowest).toBeLessThan((DEADLINE_S * 1000) / 2);
    expect(addFailures).toBe(0);
  }, 60_000);
});
