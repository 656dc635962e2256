import { status } from '@grpc/grpc-js';
import { nthPrime } from '@twelvefa/calc';
import {
  type ManagedProcess,
  RawGrpcClient,
  startTestRedis,
  type TestRedis,
} from '@twelvefa/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCall, nthPrimesCall, tallyCodes, timedNthPrimes } from '../src/calls.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

let redis: TestRedis;
let admin: Redis;
let worker: ManagedProcess;
let api: Api;

beforeAll(async () => {
  redis = await startTestRedis({ own: true });
  admin = new Redis(redis.url);
  const env = queueEnv(redis.url, 'redis-oom');
  worker = await startWorker(env);
  // The rate limiter counts in Redis too: its writes are refused as well.
  api = await startApi({ ...env, RATE_LIMIT_CPU_SECONDS: '100000' });
});

afterAll(async () => {
  await api?.process.stop();
  await worker?.stop();
  admin?.disconnect();
  await redis?.close();
});

describe('Redis at its maxmemory with the noeviction policy', () => {
  it('answers heavy calls UNAVAILABLE saying Redis is out of memory, cheap ones as ever, and recovers', async () => {
    const client = new RawGrpcClient(`127.0.0.1:${api.port}`);
    try {
      const before = await timedNthPrimes(client, nthPrimesCall(200_000_000_003), '30S');
      expect(before.code, before.details).toBe(status.OK);
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      // Below what it holds already: every write is refused with OOM from now on.
      await admin.config('SET', 'maxmemory', '1');
      const full = await Promise.all(
        [200_000_000_041, 200_000_000_063, 200_000_000_081].map((n) =>
          timedNthPrimes(client, nthPrimesCall(n), '30S'),
        ),
      );
      const add = await client.send(addCall(2, 5), { 'grpc-timeout': '5S' });
      await admin.config('SET', 'maxmemory', '0');
      const after = await timedNthPrimes(client, nthPrimesCall(200_000_000_083), '30S');
      console.log(
        `Redis out of memory: heavy calls ${JSON.stringify(tallyCodes(full))} in ${full.map(({ ms }) => ms.toFixed(0)).join(' / ')} ms ` +
          `("${full[0]?.details}"); Add ${add.status === 0 ? 'OK' : add.status}; once memory is back, a heavy call ${JSON.stringify(tallyCodes([after]))}`,
      );
      for (const result of full) {
        expect(result.code, result.details).toBe(status.UNAVAILABLE);
        expect(result.details).toMatch(/^Redis is out of memory \(maxmemory reached/);
        expect(result.ms).toBeLessThan(2000);
      }
      expect(add.status).toBe(status.OK);
      expect(after.code, after.details).toBe(status.OK);
      expect(after.primes).toEqual([BigInt(nthPrime(200_000_000_083))]);
    } finally {
      client.close();
      await admin.config('SET', 'maxmemory', '0');
    }
  }, 60_000);
});
