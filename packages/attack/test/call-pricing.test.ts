import { readFile } from 'node:fs/promises';
import { status } from '@grpc/grpc-js';
import {
  type ManagedProcess,
  RawGrpcClient,
  startTestRedis,
  type TestRedis,
} from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ended, nthPrimesCall, tallyCodes, timedNthPrimes } from '../src/calls.js';
import { QueueCensus } from '../src/queue-census.js';
import { type Api, queueEnv, startApi, startWorker } from '../src/service.js';

const ALLOWANCE_S = 5;
// 12 n near 5e13: about 54 s of estimated work, more than the whole allowance.
const DEAR = Array.from({ length: 12 }, (_, i) => 50_000_000_000_000 + 7919 * i);
// 40 calls of 64 n just above INLINE_MAX_N: 2,560 jobs of almost no work each.
const CHEAP_CALLS = Array.from({ length: 40 }, (_, c) =>
  Array.from({ length: 64 }, (_, i) => 4_000_001 + 64 * c + i),
);
// A call dearer than what will be left of the allowance (about 4.6 s), but not than all of it.
const PROBE = [49_999_999_999_999];

/** CPU seconds a process has used so far, all its threads (Linux /proc). */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) throw new Error('no process id');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The allowance left that a refusal reports. */
function leftOf(refused: Ended): number {
  const left = /left: (\d+\.\d+) s/.exec(refused.details)?.[1];
  if (left === undefined) throw new Error(`no allowance left in "${refused.details}"`);
  return Number(left);
}

let redis: TestRedis;
let worker: ManagedProcess;
let api: Api;
let census: QueueCensus;

beforeAll(async () => {
  redis = await startTestRedis({ own: true });
  const env = queueEnv(redis.url, 'call-pricing');
  worker = await startWorker({ ...env, WORKER_CONCURRENCY: '2' });
  api = await startApi({
    ...env,
    RATE_LIMIT_CPU_SECONDS: String(ALLOWANCE_S),
    RATE_LIMIT_WINDOW_SECONDS: '600',
  });
  census = new QueueCensus(env);
});

afterAll(async () => {
  await census?.close();
  await api?.process.stop();
  await worker?.stop();
  await redis?.close();
});

describe(`a client allowed ${ALLOWANCE_S} CPU seconds of estimated work`, () => {
  it('is refused a call dearer than all of it up front, runs out of it on many cheap jobs, charged at least what they cost, and pays nothing for a refusal', async () => {
    const client = new RawGrpcClient(`127.0.0.1:${api.port}`);
    const pids = [api.process.pid, worker.pid, redis.pid];
    try {
      const workerBefore = await cpuSeconds(worker.pid);
      const dear = await timedNthPrimes(client, nthPrimesCall(...DEAR), '60S');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const workerSpent = (await cpuSeconds(worker.pid)) - workerBefore;
      const jobsAfterDear = await census.total();

      // One after another (at once, all but the first would be over the client's share of
      // MAX_IN_FLIGHT, refused and given their price back), until the allowance runs out:
      // what the service spent on the calls it answered against what it charged for them.
      const spentSoFar = async () =>
        (await Promise.all(pids.map(cpuSeconds))).reduce((sum, s) => sum + s, 0);
      const before = await spentSoFar();
      const cheap: Ended[] = [];
      let cost = Number.NaN;
      let charged = Number.NaN;
      for (const ns of CHEAP_CALLS) {
        const result = await timedNthPrimes(client, nthPrimesCall(...ns), '60S');
        cheap.push(result);
        if (result.code !== status.OK && Number.isNaN(cost)) {
          cost = (await spentSoFar()) - before;
          charged = ALLOWANCE_S - leftOf(result);
        }
      }
      const refusals = [
        await timedNthPrimes(client, nthPrimesCall(...PROBE), '60S'),
        await timedNthPrimes(client, nthPrimesCall(...PROBE), '60S'),
      ];
      console.log(
        `call pricing: 12 n near 5e13 ${JSON.stringify(tallyCodes([dear]))} in ${dear.ms.toFixed(0)} ms ("${dear.details}"), ` +
          `worker CPU meanwhile ${workerSpent.toFixed(2)} s, jobs added ${jobsAfterDear}; ` +
          `40 calls of 64 n just above INLINE_MAX_N one after another ${JSON.stringify(tallyCodes(cheap))}: API, worker and Redis spent ${cost.toFixed(2)} CPU s, charged ${charged.toFixed(3)} s; ` +
          `a call over what is left refused twice, left ${refusals.map(leftOf).join(' then ')} s`,
      );
      expect(dear.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(dear.details).toMatch(
        /asked for \d+\.\d{3} CPU seconds of estimated work in one call, more than its rate limit of 5 CPU seconds .*: it can never pass/,
      );
      expect(Number(/asked for ([\d.]+)/.exec(dear.details)?.[1])).toBeGreaterThan(2 * ALLOWANCE_S);
      expect(dear.ms).toBeLessThan(500);
      expect(jobsAfterDear).toBe(0);
      expect(workerSpent).toBeLessThan(0.5);
      // Not free: the allowance runs out part way, and from then on every call is refused.
      const answered = cheap.filter(({ code }) => code === status.OK).length;
      expect(answered).toBeGreaterThan(5);
      expect(answered).toBeLessThan(CHEAP_CALLS.length);
      expect(cheap.slice(answered).every(({ code }) => code === status.RESOURCE_EXHAUSTED)).toBe(
        true,
      );
      // Priced at least what it cost, jobs and all.
      expect(charged).toBeGreaterThanOrEqual(cost);
      for (const refused of refusals) expect(refused.code).toBe(status.RESOURCE_EXHAUSTED);
      // The first refusal cost nothing: the second finds as much left.
      expect(leftOf(refusals[1] as Ended)).toBe(leftOf(refusals[0] as Ended));
    } finally {
      client.close();
    }
  }, 90_000);
});
