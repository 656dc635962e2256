import { credentials, status } from '@grpc/grpc-js';
import { CalcClient } from '@twelvefa/proto';
import { type ManagedProcess, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueCensus } from '../src/queue-census.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

const STREAMS = 40;
// Distinct heavy n, each split into chunks (about 0.7 s of work each, 28 s in all): a progress
// message comes as each chunk finishes.
const NS = Array.from({ length: STREAMS }, (_, i) => 10_000_000_000_000 + 7919 * i);

let redis: TestRedis;
let workers: ManagedProcess[];
let api: Api;
let census: QueueCensus;

beforeAll(async () => {
  redis = await startTestRedis();
  // A job that finished before its cancel arrived is kept by none: what is left is stuck.
  const env = { ...queueEnv(redis.url, 'watch-cancel'), JOB_KEEP_COMPLETED: '0' };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
  // One client's share of MAX_IN_FLIGHT (half) holds all 40 streams' n.
  api = await startApi({ ...env, MAX_IN_FLIGHT: String(2 * STREAMS) });
  census = new QueueCensus(env);
});

afterAll(async () => {
  await census?.close();
  await api?.process.stop();
  await Promise.all((workers ?? []).map((worker) => worker.stop()));
  await redis?.close();
});

describe(`${STREAMS} WatchNthPrimes streams, each cancelled at its first progress message`, () => {
  it('leave the queue empty within 2 s, and no failed job in Redis', async () => {
    const client = new CalcClient(`127.0.0.1:${api.port}`, credentials.createInsecure());
    try {
      const ended = await Promise.all(
        NS.map(
          (n) =>
            new Promise<{ code: number; progress: number }>((resolve) => {
              let progress = 0;
              const call = client.watchNthPrimes({ n: [BigInt(n)] });
              call.on('data', () => {
                progress += 1;
                call.cancel();
              });
              call.on('error', (error: { code?: number }) =>
                resolve({ code: error.code ?? -1, progress }),
              );
              call.on('end', () => resolve({ code: status.OK, progress }));
            }),
        ),
      );
      const cancelledAt = performance.now();
      let left = await census.total();
      while (left > 0 && performance.now() - cancelledAt < 10_000) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        left = await census.total();
      }
      const emptyMs = performance.now() - cancelledAt;
      // Anything failed late would show now.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const counts = await census.counts();
      const codes = ended.reduce<Record<number, number>>((tally, { code }) => {
        tally[code] = (tally[code] ?? 0) + 1;
        return tally;
      }, {});
      console.log(
        `watch cancel: ${STREAMS} streams ended ${JSON.stringify(codes)} after ${ended.map(({ progress }) => progress).reduce((a, b) => a + b, 0)} progress messages; ` +
          `queue empty ${emptyMs.toFixed(0)} ms after the last cancel; a second later: ${JSON.stringify(counts)}`,
      );
      expect(ended.every(({ code }) => code === status.CANCELLED)).toBe(true);
      expect(ended.every(({ progress }) => progress >= 1)).toBe(true);
      expect(left).toBe(0);
      expect(emptyMs).toBeLessThan(2000);
      expect(Object.values(counts).every((count) => count === 0)).toBe(true);
    } finally {
      client.close();
    }
  }, 60_000);
});
