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
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

const MAX_IN_FLIGHT = 64;
// More heavy n in one call than MAX_IN_FLIGHT, nothing else in flight: 200 near 1e11 (about
// 20 s of work for two workers), and the largest batch MAX_BATCH allows, of the smallest n.
const MANY = Array.from({ length: 200 }, (_, i) => 100_000_000_000 + 7919 * i);
const LARGEST = Array.from({ length: 5000 }, (_, i) => 4_000_001 + 3 * i);

let redis: TestRedis;
let workers: ManagedProcess[];
let api: Api;
let census: QueueCensus;

beforeAll(async () => {
  redis = await startTestRedis();
  const env = { ...queueEnv(redis.url, 'huge-batch'), JOB_KEEP_COMPLETED: '0' };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
  api = await startApi({ ...env, MAX_BATCH: '5000', MAX_IN_FLIGHT: String(MAX_IN_FLIGHT) });
  census = new QueueCensus(env);
});

afterAll(async () => {
  await census?.close();
  await api?.process.stop();
  await Promise.all((workers ?? []).map((worker) => worker.stop()));
  await redis?.close();
});

describe(`a batch of more heavy n than MAX_IN_FLIGHT (${MAX_IN_FLIGHT})`, () => {
  it('is answered, run a share of MAX_IN_FLIGHT at a time, never refused with a retry that cannot succeed', async () => {
    const client = new RawGrpcClient(`127.0.0.1:${api.port}`);
    let most = 0;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        most = Math.max(most, await census.computations());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    try {
      const many = await timedNthPrimes(client, nthPrimesCall(...MANY), '120S');
      const largest = await timedNthPrimes(client, nthPrimesCall(...LARGEST), '120S');
      watching = false;
      await watch;
      console.log(
        `huge batch: ${MANY.length} n near 1e11 ${JSON.stringify(tallyCodes([many]))} in ${(many.ms / 1000).toFixed(1)} s, ` +
          `${LARGEST.length} n just above INLINE_MAX_N ${JSON.stringify(tallyCodes([largest]))} in ${(largest.ms / 1000).toFixed(1)} s; ` +
          `at most ${most} computations queued at once (MAX_IN_FLIGHT ${MAX_IN_FLIGHT})${many.code === status.OK ? '' : `; "${many.details}"`}`,
      );
      expect(many.code, many.details).toBe(status.OK);
      expect(largest.code, largest.details).toBe(status.OK);
      // Every answer right: a sample of the large ones, all of the small ones.
      for (const i of [0, 63, 64, 65, 128, 199]) {
        expect(many.primes[i], `n = ${MANY[i]}`).toBe(BigInt(nthPrime(MANY[i] as number)));
      }
      expect(largest.primes).toEqual(LARGEST.map((n) => BigInt(nthPrime(n))));
      // One client holds half of MAX_IN_FLIGHT at most.
      expect(most).toBeLessThanOrEqual(MAX_IN_FLIGHT / 2);
    } finally {
      watching = false;
      client.close();
    }
  }, 180_000);
});
