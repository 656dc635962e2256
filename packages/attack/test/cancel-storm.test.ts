import { status } from '@grpc/grpc-js';
import type { ManagedProcess } from '@twelvefa/test-support';
import { RawGrpcClient, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nthPrimesCall, tallyCodes, timedNthPrimes } from '../src/calls.js';
import { QueueCensus } from '../src/queue-census.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

const MAX_IN_FLIGHT = 16;
const CALLS = 200;
// Each about 0.5 s on one core: longer than any of the calls' deadlines.
const HEAVY_N = 1_000_000_000_000;

describe(`a storm of ${CALLS} heavy calls cancelled by deadlines of 50 to 400 ms, in Redis mode`, () => {
  let redis: TestRedis;
  let api: Api;
  let worker: ManagedProcess;
  let census: QueueCensus;
  let client: RawGrpcClient;

  beforeAll(async () => {
    redis = await startTestRedis();
    const env = queueEnv(redis.url, 'storm');
    // Completed results are kept by default (they answer the next call for the same n); off
    // here, so that anything left in Redis is a leftover.
    worker = await startWorker({ ...env, JOB_KEEP_COMPLETED: '0' });
    api = await startApi({
      ...env,
      MAX_IN_FLIGHT: String(MAX_IN_FLIGHT),
      RESULT_CACHE_SIZE: '0',
      JOB_KEEP_COMPLETED: '0',
    });
    census = new QueueCensus(env);
    client = new RawGrpcClient(`127.0.0.1:${api.port}`);
  });

  afterAll(async () => {
    client?.close();
    await census?.close();
    await api?.process.stop();
    await worker?.stop();
    await redis?.close();
  });

  it('ends every call at once, keeps MAX_IN_FLIGHT, and leaves no job in any state within 2 s', async () => {
    let sampling = true;
    let mostQueued = 0;
    const sampler = (async () => {
      while (sampling) {
        mostQueued = Math.max(mostQueued, await census.computations());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CALLS }, (_, i) =>
        // Spread deadlines: some calls end before their jobs are added, some once a worker runs them.
        timedNthPrimes(client, nthPrimesCall(HEAVY_N + i), `${50 + 50 * (i % 8)}m`),
      ),
    );
    const ended = performance.now();
    // The queue can be empty between two adds: it counts as empty once it stays so for 300 ms.
    let emptySince: number | undefined;
    let leftAfterMs = Number.NaN;
    for (;;) {
      const now = performance.now();
      if ((await census.total()) > 0) emptySince = undefined;
      else emptySince ??= now;
      if (emptySince !== undefined && now - emptySince >= 300) break;
      if (now - ended > 5000) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    leftAfterMs = (emptySince ?? performance.now()) - ended;
    sampling = false;
    await sampler;
    const codes = tallyCodes(results);
    console.log(
      `cancel storm: ${CALLS} calls ended in ${(ended - started).toFixed(0)} ms (${JSON.stringify(codes)}); ` +
        `most computations queued at once ${mostQueued} (MAX_IN_FLIGHT ${MAX_IN_FLIGHT}); queue empty ${leftAfterMs.toFixed(0)} ms after the last call`,
    );
    expect(Object.keys(codes).sort()).toEqual(['DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED']);
    expect(ended - started).toBeLessThan(2000);
    expect(mostQueued).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(await census.total(), JSON.stringify(await census.counts())).toBe(0);
    expect(leftAfterMs).toBeLessThan(2000);
  });

  it('then answers a fresh heavy call at once: nothing stale is in its way', async () => {
    const fresh = await timedNthPrimes(client, nthPrimesCall(HEAVY_N - 1), '20S');
    expect(fresh.code).toBe(status.OK);
    expect(fresh.ms).toBeLessThan(5000);
  });
});
