import { status } from '@grpc/grpc-js';
import { nthPrime } from '@twelvefa/calc';
import {
  type ManagedProcess,
  RawGrpcClient,
  startTestRedis,
  type TestRedis,
} from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nthPrimesCall, tallyCodes, timedNthPrimes } from '../src/calls.js';
import { QueueCensus } from '../src/queue-census.js';
import { queueEnv, startApi, startWorker } from '../src/service.js';

// 16 distinct n near 1e14: about two minutes of work for two workers, so whatever still runs
// 10 s after the kill runs for nobody.
const DOOMED_NS = Array.from({ length: 16 }, (_, i) => 99_000_000_000_000 + 7919 * i);
// Asked first on the doomed replica, then joined by a client of the surviving one: it must go on.
const SHARED_N = 50_000_000_000_053;
const STOPPED_WITHIN_MS = 10_000;

let redis: TestRedis;
let workers: ManagedProcess[];
let env: Record<string, string>;

beforeAll(async () => {
  redis = await startTestRedis();
  env = { ...queueEnv(redis.url, 'orphaned-work'), JOB_KEEP_COMPLETED: '0' };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
});

afterAll(async () => {
  await Promise.all((workers ?? []).map((worker) => worker.stop()));
  await redis?.close();
});

describe('an API replica killed (kill -9) with 16 heavy calls in flight', () => {
  it('leaves no worker computing for it 10 s later, while the jobs another replica waits for go on', async () => {
    const [doomed, staying] = await Promise.all([startApi(env), startApi(env)]);
    const census = new QueueCensus(env);
    const doomedClient = new RawGrpcClient(`127.0.0.1:${doomed.port}`);
    const stayingClient = new RawGrpcClient(`127.0.0.1:${staying.port}`);
    try {
      const orphaned = [SHARED_N, ...DOOMED_NS].map((n) =>
        timedNthPrimes(doomedClient, nthPrimesCall(n), '120S'),
      );
      await Promise.all(
        workers.map((worker) => worker.waitForRecord((line) => line.msg === 'job started')),
      );
      // Joins the doomed replica's job for SHARED_N.
      const survivor = timedNthPrimes(stayingClient, nthPrimesCall(SHARED_N), '60S');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await doomed.process.kill();
      const killedAt = performance.now();
      const cutOff = await Promise.all(orphaned);

      // Stopped: nothing of the doomed n waiting or running any more.
      let left = (await census.unfinishedOf(DOOMED_NS)).length;
      while (left > 0 && performance.now() - killedAt < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        left = (await census.unfinishedOf(DOOMED_NS)).length;
      }
      const stoppedMs = performance.now() - killedAt;
      const shared = await survivor;
      const abandoned = workers.flatMap((worker) =>
        worker.records.filter(
          (line) => line.msg === 'job abandoned: no API replica waits for it any more',
        ),
      );
      console.log(
        `replica kill -9: its calls ended ${JSON.stringify(tallyCodes(cutOff))}; the ${DOOMED_NS.length} n nobody else waits for ` +
          `stopped ${(stoppedMs / 1000).toFixed(1)} s after the kill (${abandoned.length} abandoned jobs given up by the workers); ` +
          `the n the other replica shares ${JSON.stringify(tallyCodes([shared]))} after ${(shared.ms / 1000).toFixed(1)} s`,
      );
      expect(left).toBe(0);
      expect(stoppedMs).toBeLessThan(STOPPED_WITHIN_MS);
      expect(shared.code, shared.details).toBe(status.OK);
      expect(shared.primes).toEqual([BigInt(nthPrime(SHARED_N))]);
    } finally {
      doomedClient.close();
      stayingClient.close();
      await census.close();
      await doomed.process.kill();
      await staying.process.stop();
    }
  }, 90_000);
});
