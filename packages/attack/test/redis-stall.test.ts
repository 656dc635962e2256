import { status } from '@grpc/grpc-js';
import { MaxRequest, NthPrimesRequest } from '@twelvefa/proto';
import {
  type ManagedProcess,
  type PreparedCall,
  prepareCall,
  RawGrpcClient,
  startTestRedis,
  type TestRedis,
} from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCall, type Ended, nthPrimesCall, tallyCodes } from '../src/calls.js';
import { checkHealth } from '../src/health-check.js';
import { quantile } from '../src/latency-probe.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

const STALL_MS = 12_000;
const REQUEST_TIMEOUT_MS = 5000;

/** The cheap calls that must never wait on Redis: Add, Max and an n from the small table. */
const CHEAP: readonly PreparedCall[] = [
  addCall(2, 5),
  prepareCall('/calc.Calc/Max', MaxRequest.encode({ a: 2n, b: 5n }).finish()),
  prepareCall('/calc.Calc/NthPrimes', NthPrimesRequest.encode({ n: [10_000n] }).finish()),
];

/** Cheap calls one after another until stopped: when each started (ms from `origin`) and took. */
function cheapLoad(address: string, origin: number) {
  const client = new RawGrpcClient(address);
  const samples: { at: number; ms: number; ok: boolean }[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i += 1) {
      const started = performance.now();
      const result = await client
        .send(CHEAP[i % CHEAP.length] as PreparedCall, { 'grpc-timeout': '30S' })
        .catch(() => undefined);
      samples.push({
        at: started - origin,
        ms: performance.now() - started,
        ok: result?.status === 0,
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let stopping: Promise<typeof samples> | undefined;
  return {
    stop: () => {
      running = false;
      stopping ??= loop.then(() => {
        client.close();
        return samples;
      });
      return stopping;
    },
  };
}

/** A heavy call, with a client deadline or none (REQUEST_TIMEOUT_MS then applies). */
async function heavy(client: RawGrpcClient, n: number, timeout?: string): Promise<Ended> {
  const started = performance.now();
  const result = await client
    .send(nthPrimesCall(n), timeout === undefined ? {} : { 'grpc-timeout': timeout })
    .catch((error: unknown) => ({ status: -1, details: String(error), message: undefined }));
  return {
    code: result.status,
    details: result.details,
    ms: performance.now() - started,
    primes: [],
  };
}

let redis: TestRedis;
let worker: ManagedProcess;
let limited: Api;
let unlimited: Api;

beforeAll(async () => {
  redis = await startTestRedis({ own: true });
  const env = {
    ...queueEnv(redis.url, 'redis-stall'),
    REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  };
  worker = await startWorker(env);
  [limited, unlimited] = await Promise.all([
    startApi({ ...env, RATE_LIMIT_CPU_SECONDS: '100000' }),
    startApi(env),
  ]);
});

afterAll(async () => {
  redis?.resume();
  await Promise.all([limited, unlimited].map((api) => api?.process.stop()));
  await worker?.stop();
  await redis?.close();
});

describe(`Redis paused (SIGSTOP) for ${STALL_MS / 1000} s`, () => {
  it('is noticed within seconds: heavy work NOT_SERVING, heavy calls UNAVAILABLE at once, cheap calls untouched', async () => {
    const apis = { 'limiter on': limited, 'limiter off': unlimited };
    const clients = Object.values(apis).map(({ port }) => new RawGrpcClient(`127.0.0.1:${port}`));
    const [onClient, offClient] = clients as [RawGrpcClient, RawGrpcClient];
    const origin = performance.now();
    const loads = Object.values(apis).map(({ port }) => cheapLoad(`127.0.0.1:${port}`, origin));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await checkHealth(onClient, '')).toBe('SERVING');
      redis.pause();
      const pausedAt = performance.now();
      const since = (): number => performance.now() - pausedAt;

      // Started before the stall is noticed: they wait for the command timeout at most.
      const early = [
        heavy(onClient, 1_000_000_000_039),
        heavy(offClient, 1_000_000_000_061, '60S'),
      ];
      const notServingMs: number[] = [];
      const probes = new Set<string>();
      for (const client of clients) {
        while (since() < STALL_MS) {
          for (const service of ['liveness', 'readiness'])
            probes.add(`${service} ${await checkHealth(client, service)}`);
          if ((await checkHealth(client, '')) === 'NOT_SERVING') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        notServingMs.push(since());
      }
      // Started once it is noticed: refused at once.
      const late = await Promise.all([
        heavy(onClient, 1_000_000_000_063),
        heavy(offClient, 1_000_000_000_091, '60S'),
      ]);
      const earlyEnded = await Promise.all(early);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, STALL_MS - since())));
      redis.resume();
      const resumedAt = performance.now();
      while (
        (await checkHealth(onClient, '')) !== 'SERVING' &&
        performance.now() - resumedAt < 20_000
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const servingAgainMs = performance.now() - resumedAt;
      const after = await heavy(onClient, 1_000_000_000_121, '30S');
      const [onSamples = [], offSamples = []] = await Promise.all(loads.map((load) => load.stop()));
      const pausedFrom = pausedAt - origin;
      const during = (samples: typeof onSamples) =>
        samples.filter(({ at }) => at >= pausedFrom - 50 && at < pausedFrom + STALL_MS);
      const report = (samples: typeof onSamples) => {
        const stalled = during(samples).map(({ ms }) => ms);
        return `${stalled.length} during the stall, ${samples.filter(({ ok }) => !ok).length} failed, p99 ${quantile(stalled, 0.99).toFixed(1)} ms, slowest ${Math.max(...stalled).toFixed(1)} ms`;
      };
      console.log(
        `Redis stall: heavy work NOT_SERVING after ${notServingMs.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} s (limiter on / off), ` +
          `liveness and readiness throughout: ${[...probes].join(', ')}; ` +
          `heavy calls started at once ${JSON.stringify(tallyCodes(earlyEnded))} in ${earlyEnded.map(({ ms }) => (ms / 1000).toFixed(2)).join(' / ')} s, ` +
          `once noticed ${JSON.stringify(tallyCodes(late))} in ${late.map(({ ms }) => ms.toFixed(0)).join(' / ')} ms ("${late[0]?.details}"); ` +
          `cheap calls, limiter on: ${report(onSamples)}; limiter off: ${report(offSamples)}; ` +
          `SERVING again ${(servingAgainMs / 1000).toFixed(1)} s after the resume, then a heavy call ${JSON.stringify(tallyCodes([after]))}`,
      );
      for (const ms of notServingMs) expect(ms).toBeLessThan(5000);
      expect([...probes].sort()).toEqual(['liveness SERVING', 'readiness SERVING']);
      for (const ended of [...earlyEnded, ...late]) {
        expect(ended.code, ended.details).toBe(status.UNAVAILABLE);
        expect(ended.details).toMatch(/^Redis is not answering/);
      }
      // None waits to its deadline (REQUEST_TIMEOUT_MS or the client's): the command timeout at most.
      for (const { ms } of earlyEnded) expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS - 1500);
      for (const { ms } of late) expect(ms).toBeLessThan(500);
      for (const samples of [onSamples, offSamples]) {
        expect(samples.filter(({ ok }) => !ok)).toEqual([]);
        expect(during(samples).length).toBeGreaterThan(100);
      }
      // Without the limiter nothing cheap touches Redis; with it, a count waits 200 ms at most,
      // and none once the stall is noticed.
      expect(Math.max(...during(offSamples).map(({ ms }) => ms))).toBeLessThan(150);
      expect(Math.max(...during(onSamples).map(({ ms }) => ms))).toBeLessThan(500);
      const noticed = pausedFrom + (notServingMs[0] ?? 0);
      const afterNotice = onSamples.filter(({ at }) => at > noticed && at < pausedFrom + STALL_MS);
      expect(Math.max(...afterNotice.map(({ ms }) => ms))).toBeLessThan(150);
      expect(servingAgainMs).toBeLessThan(5000);
      expect(after.code, after.details).toBe(status.OK);
    } finally {
      redis.resume();
      for (const client of clients) client.close();
      await Promise.all(loads.map((load) => load.stop()));
    }
  }, 90_000);
});
