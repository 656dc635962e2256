import { status } from '@grpc/grpc-js';
import { nthPrimeExact } from '@twelvefa/calc';
import {
  type ManagedProcess,
  RawGrpcClient,
  startTestRedis,
  type TestRedis,
} from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ended, nthPrimesCall, tallyCodes, timedNthPrimes } from '../src/calls.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

// Split between two workers into chunks: about 5 s of work each (2.5 s on two workers), alike,
// so the shared one is still running when A has given it up four times.
const ALONE_N = 300_000_000_000_017;
const SHARED_N = 300_000_000_000_071;
// A's client asks SHARED_N and gives up this many times while B's client waits for it.
const GIVE_UPS = 4;

let redis: TestRedis;
let workers: ManagedProcess[];
let replicas: Api[];
let clients: RawGrpcClient[];

beforeAll(async () => {
  redis = await startTestRedis();
  // Nothing kept: every call computes, so the shared one is compared with one alone.
  const env = {
    ...queueEnv(redis.url, 'shared-work'),
    RESULT_CACHE_SIZE: '0',
    JOB_KEEP_COMPLETED: '0',
  };
  workers = await Promise.all([startWorker(env), startWorker(env)]);
  replicas = await Promise.all([startApi(env), startApi(env)]);
  clients = replicas.map(({ port }) => new RawGrpcClient(`127.0.0.1:${port}`));
  // Both workers counted, so each n is planned for both.
  await new Promise((resolve) => setTimeout(resolve, 2500));
});

afterAll(async () => {
  for (const client of clients ?? []) client.close();
  await Promise.all((replicas ?? []).map((api) => api.process.stop()));
  await Promise.all((workers ?? []).map((worker) => worker.stop()));
  await redis?.close();
});

describe('a job a client of replica B waits for, asked and given up again and again on replica A', () => {
  it('is computed once for B, as fast as alone: A giving up never cancels it', async () => {
    const [a, b] = clients as [RawGrpcClient, RawGrpcClient];
    const alone = await timedNthPrimes(b, nthPrimesCall(ALONE_N), '60S');
    expect(alone.code, alone.details).toBe(status.OK);

    const waiting = timedNthPrimes(b, nthPrimesCall(SHARED_N), '60S');
    const givenUp: Ended[] = [];
    for (let round = 0; round < GIVE_UPS; round += 1) {
      // Joins B's job on A, then lets its deadline pass: A's last request gives the job up.
      givenUp.push(await timedNthPrimes(a, nthPrimesCall(SHARED_N), '300m'));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const shared = await waiting;
    const cancelled = workers.flatMap((worker) =>
      worker.records.filter(
        (line) =>
          line.msg === 'job cancelled by the API' &&
          String(line.jobId).startsWith(`nth-prime-${SHARED_N}`),
      ),
    );
    const started = workers.flatMap((worker) =>
      worker.records.filter(
        (line) => line.msg === 'job started' && line.jobId === `nth-prime-${SHARED_N}`,
      ),
    );
    console.log(
      `shared work: A gave the job up ${GIVE_UPS} times (${JSON.stringify(tallyCodes(givenUp))}); ` +
        `B's call ${JSON.stringify(tallyCodes([shared]))} after ${(shared.ms / 1000).toFixed(2)} s ` +
        `(alone: ${(alone.ms / 1000).toFixed(2)} s, ${(shared.ms / alone.ms).toFixed(2)}x); ` +
        `chunks cancelled ${cancelled.length}, combine started ${started.length} time(s)`,
    );
    for (const result of givenUp) expect(result.code).toBe(status.DEADLINE_EXCEEDED);
    expect(shared.code, shared.details).toBe(status.OK);
    expect(shared.primes).toEqual([nthPrimeExact(SHARED_N)]);
    expect(cancelled).toEqual([]);
    expect(started).toHaveLength(1);
    // Computed once, not started over: well within twice its time alone on a busy machine.
    expect(shared.ms).toBeLessThan(2 * alone.ms);
  }, 90_000);
});
