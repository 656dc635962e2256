import { status } from '@grpc/grpc-js';
import { nthPrime } from '@twelvefa/calc';
import {
  type ManagedProcess,
  RawGrpcClient,
  startTestRedis,
  type TestRedis,
} from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ended, nthPrimesCall, tallyCodes, timedNthPrimes } from '../src/calls.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

// Client X's batches: 64 n near 1e13 each, about 40 s of work for the two workers.
const batchOf = (k: number) =>
  Array.from({ length: 64 }, (_, i) => 10_000_000_000_000 + 7919 * (64 * k + i));
// Client Y's call: one n near 1e12, about 0.15 s alone.
const ROUNDS = 5;
const yN = (round: number, where: number): number =>
  1_000_000_000_000 + 104_729 * (round * 5 + where);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

let redis: TestRedis;
let workers: ManagedProcess[];
let replicas: Api[];

beforeAll(async () => {
  redis = await startTestRedis();
  const env = { ...queueEnv(redis.url, 'fair-share'), RESULT_CACHE_SIZE: '0' };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
  replicas = await Promise.all([startApi(env), startApi(env)]);
  // Both workers counted, so every plan is cut for both.
  await new Promise((resolve) => setTimeout(resolve, 2500));
});

afterAll(async () => {
  await Promise.all((replicas ?? []).map((api) => api.process.stop()));
  await Promise.all((workers ?? []).map((worker) => worker.stop()));
  await redis?.close();
});

describe("one client's 64-n batch queued, another client's small call", () => {
  it('finishes within twice its time alone, on the batch’s replica, on the other, and with batches on both', async () => {
    const [a, b] = replicas as [Api, Api];
    // Two clients by address: X from 127.0.0.2, Y from 127.0.0.3.
    const x = new RawGrpcClient(`127.0.0.1:${a.port}`, { localAddress: '127.0.0.2' });
    const yOnA = new RawGrpcClient(`127.0.0.1:${a.port}`, { localAddress: '127.0.0.3' });
    const yOnB = new RawGrpcClient(`127.0.0.1:${b.port}`, { localAddress: '127.0.0.3' });
    try {
      const alone: Ended[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        alone.push(await timedNthPrimes(yOnB, nthPrimesCall(yN(round, 0)), '20S'));
      }
      const batch = timedNthPrimes(x, nthPrimesCall(...batchOf(0)), '300S');
      await Promise.all(
        workers.map((worker) =>
          worker.waitForRecord(
            (line) =>
              line.msg === 'job started' && String(line.jobId).startsWith('nth-prime-1000000'),
          ),
        ),
      );
      const shared: { a: Ended[]; b: Ended[]; both: Ended[] } = { a: [], b: [], both: [] };
      for (let round = 0; round < ROUNDS; round += 1) {
        shared.b.push(await timedNthPrimes(yOnB, nthPrimesCall(yN(round, 1)), '20S'));
        shared.a.push(await timedNthPrimes(yOnA, nthPrimesCall(yN(round, 2)), '20S'));
      }
      // X spreads its work: a second batch on B, which must queue it behind X's work on A.
      const xOnB = new RawGrpcClient(`127.0.0.1:${b.port}`, { localAddress: '127.0.0.2' });
      const second = timedNthPrimes(xOnB, nthPrimesCall(...batchOf(1)), '300S');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      for (let round = 0; round < ROUNDS; round += 1) {
        shared.both.push(await timedNthPrimes(yOnB, nthPrimesCall(yN(round, 3)), '20S'));
      }
      // X gives up its second batch; the first goes on.
      xOnB.destroy();
      await second;
      // X's first batch is still going: it was only shared, never refused or starved.
      const first = await Promise.race([
        batch,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10)),
      ]);
      // The baseline again, under the machine's load of now: X gone, Y alone.
      x.destroy();
      await batch;
      await new Promise((resolve) => setTimeout(resolve, 2000));
      for (let round = 0; round < ROUNDS; round += 1) {
        alone.push(await timedNthPrimes(yOnB, nthPrimesCall(yN(round, 4)), '20S'));
      }
      const aloneMs = median(alone.map(({ ms }) => ms));
      const ratio = (results: Ended[]) => median(results.map(({ ms }) => ms)) / aloneMs;
      console.log(
        `fair share: Y's 1e12 alone (before X and after) ${alone.map(({ ms }) => ms.toFixed(0)).join(' / ')} ms (median ${aloneMs.toFixed(0)}); ` +
          `with X's 64-n batch queued, on the other replica ${JSON.stringify(tallyCodes(shared.b))} ${shared.b.map(({ ms }) => ms.toFixed(0)).join(' / ')} ms (${ratio(shared.b).toFixed(2)}x), ` +
          `on X's replica ${JSON.stringify(tallyCodes(shared.a))} ${shared.a.map(({ ms }) => ms.toFixed(0)).join(' / ')} ms (${ratio(shared.a).toFixed(2)}x), ` +
          `with another batch of X's on Y's replica ${JSON.stringify(tallyCodes(shared.both))} ${shared.both.map(({ ms }) => ms.toFixed(0)).join(' / ')} ms (${ratio(shared.both).toFixed(2)}x)`,
      );
      for (const [where, results] of [
        [1, shared.b],
        [2, shared.a],
        [3, shared.both],
      ] as const) {
        for (const result of results) expect(result.code, result.details).toBe(status.OK);
        expect(results.map(({ primes }) => primes[0])).toEqual(
          results.map((_, round) => BigInt(nthPrime(yN(round, where)))),
        );
      }
      expect(ratio(shared.b)).toBeLessThan(2);
      expect(ratio(shared.a)).toBeLessThan(2);
      expect(ratio(shared.both)).toBeLessThan(2);
      expect(first, JSON.stringify(first)).toBeUndefined();
      for (const result of alone) expect(result.code, result.details).toBe(status.OK);
    } finally {
      x.destroy();
      yOnA.close();
      yOnB.close();
    }
  }, 120_000);
});
