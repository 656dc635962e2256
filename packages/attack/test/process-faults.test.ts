import { status } from '@grpc/grpc-js';
import { nthPrime } from '@twelvefa/calc';
import { RawGrpcClient, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nthPrimesCall, tallyCodes, timedNthPrimes } from '../src/calls.js';
import { QueueCensus } from '../src/queue-census.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

// Split across two workers into chunks of about a tenth of a second: about 0.8 s of work, so
// two calls on one worker outlast a 300 ms shutdown grace.
const SPLIT_N = 50_000_000_000_000;

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  await redis?.close();
});

describe('a worker killed with kill -9 in the middle of a job, with the default settings', () => {
  it('loses nothing: the call is answered within the default 60 s deadline, in seconds', async () => {
    const env = queueEnv(redis.url, 'kill-9');
    const [doomed, survivor] = await Promise.all([startWorker(env), startWorker(env)]);
    const api = await startApi(env);
    const client = new RawGrpcClient(`127.0.0.1:${api.port}`);
    try {
      // Both workers are counted, so the plan splits the n between them.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const call = timedNthPrimes(client, nthPrimesCall(SPLIT_N), '60S');
      await doomed.waitForRecord((line) => line.msg === 'job started');
      await doomed.kill();
      const result = await call;
      console.log(
        `worker kill -9: the call ended ${JSON.stringify(tallyCodes([result]))} after ${(result.ms / 1000).toFixed(1)} s`,
      );
      expect(result.code, result.details).toBe(status.OK);
      expect(result.primes).toEqual([BigInt(nthPrime(SPLIT_N))]);
      expect(result.ms).toBeLessThan(20_000);
    } finally {
      client.close();
      await api.process.stop();
      await doomed.kill();
      await survivor.stop();
    }
  });
});

describe('SIGTERM with heavy calls in flight', () => {
  it('a worker finishes or hands back its job and exits 0; the call is answered', async () => {
    const env = queueEnv(redis.url, 'worker-term');
    const [stopping, staying] = await Promise.all([startWorker(env), startWorker(env)]);
    const api = await startApi(env);
    const client = new RawGrpcClient(`127.0.0.1:${api.port}`);
    try {
      const call = timedNthPrimes(client, nthPrimesCall(SPLIT_N + 1), '60S');
      await stopping.waitForRecord((line) => line.msg === 'job started');
      await stopping.stop();
      expect(await stopping.exited).toEqual({ code: 0, signal: null });
      const result = await call;
      expect(result.code, result.details).toBe(status.OK);
      expect(result.primes).toEqual([BigInt(nthPrime(SPLIT_N + 1))]);
    } finally {
      client.close();
      await api.process.stop();
      await staying.stop();
    }
  });

  it('the API exits 0 without cancelling the jobs, which another replica then answers from', async () => {
    const env = { ...queueEnv(redis.url, 'api-term'), SHUTDOWN_GRACE_MS: '300' };
    const worker = await startWorker(env);
    const leaving = await startApi(env);
    const census = new QueueCensus(env);
    const client = new RawGrpcClient(`127.0.0.1:${leaving.port}`);
    const ns = [SPLIT_N + 2, SPLIT_N + 3];
    let staying: Api | undefined;
    try {
      const calls = ns.map((n) => timedNthPrimes(client, nthPrimesCall(n), '60S'));
      await worker.waitForRecord((line) => line.msg === 'job started');
      await leaving.process.stop();
      expect(await leaving.process.exited).toEqual({ code: 0, signal: null });
      // Its calls end UNAVAILABLE at the end of the grace, which says retry: the client does, elsewhere.
      const cutOff = await Promise.all(calls);
      console.log(
        `API SIGTERM: calls in flight past the grace ended ${JSON.stringify(tallyCodes(cutOff))}`,
      );
      for (const result of cutOff) expect(result.code).toBe(status.UNAVAILABLE);
      expect(worker.records.some((line) => line.msg === 'job cancelled by the API')).toBe(false);
      expect((await census.counts()).active).toBeGreaterThan(0);
      staying = await startApi(env);
      const retry = new RawGrpcClient(`127.0.0.1:${staying.port}`);
      try {
        const result = await timedNthPrimes(retry, nthPrimesCall(...ns), '60S');
        expect(result.code, result.details).toBe(status.OK);
        expect(result.primes).toEqual(ns.map((n) => BigInt(nthPrime(n))));
      } finally {
        retry.close();
      }
      // The retry joined the jobs the first replica left: each n was computed once.
      const started = worker.records.filter(
        (line) => line.msg === 'job started' && /^nth-prime-\d+$/.test(String(line.jobId)),
      );
      expect(started.length).toBeLessThanOrEqual(ns.length);
    } finally {
      client.close();
      await census.close();
      await staying?.process.stop();
      await worker.stop();
    }
  });
});
