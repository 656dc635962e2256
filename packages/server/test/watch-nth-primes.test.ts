import { status } from '@grpc/grpc-js';
import type { ManagedProcess } from '@twelvefa/test-support';
import {
  freePort,
  ManagedProcess as Process,
  startTestRedis,
  type TestRedis,
} from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers/bins.js';
import { TestCalcClient } from './helpers/calc-client.js';
import { knownPrime, MEDIUM_N, SLOW_N } from './helpers/known-primes.js';
import { freshQueueName, startWorker } from './helpers/queue-fixture.js';

/** The parts-done figures of one n across a stream's progress messages. */
function partsOf(
  messages: Awaited<ReturnType<TestCalcClient['watchNthPrimes']>>['messages'],
  n: number,
): { done: number; total: number }[] {
  return messages.flatMap((message) =>
    (message.progress?.n ?? [])
      .filter((item) => item.n === BigInt(n))
      .map((item) => ({ done: item.partsDone, total: item.partsTotal })),
  );
}

async function startApi(
  env: Record<string, string>,
): Promise<{ api: ManagedProcess; client: TestCalcClient }> {
  const port = await freePort();
  const api = Process.node(BIN.api, {
    PORT: String(port),
    HOST: '127.0.0.1',
    RESULT_CACHE_SIZE: '0',
    ...env,
  });
  await api.waitForRecord((line) => line.msg === 'listening');
  if (env.REDIS_URL !== undefined) {
    await api.waitForRecord((line) => line.msg === 'job runner' && line.ready === true);
  }
  return { api, client: new TestCalcClient(port) };
}

describe('WatchNthPrimes on the embedded runner', () => {
  let api: ManagedProcess;
  let client: TestCalcClient;

  beforeAll(async () => {
    ({ api, client } = await startApi({ EMBEDDED_THREADS: '2' }));
  });

  afterAll(async () => {
    client?.close();
    await api?.stop();
  });

  it('streams each part of a split n as it finishes, then the answer, then ends OK', async () => {
    const { messages, end } = await client.watchNthPrimes([12n, BigInt(SLOW_N)]);
    expect(end).toEqual({ ok: true, value: null });
    const parts = partsOf(messages, SLOW_N);
    const total = parts[0]?.total ?? 0;
    expect(total).toBeGreaterThan(2);
    expect(parts.map(({ done }) => done)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(parts.every((part) => part.total === total)).toBe(true);
    expect(messages.at(-1)?.answer?.nthPrimes).toEqual([37n, BigInt(knownPrime(SLOW_N))]);
    expect(messages.filter((message) => message.answer !== undefined)).toHaveLength(1);
  });

  it('answers cheap n with the answer alone, and errors as NthPrimes does', async () => {
    const cheap = await client.watchNthPrimes([1n, 2n, 3n]);
    expect(cheap.messages).toEqual([{ progress: undefined, answer: { nthPrimes: [2n, 3n, 5n] } }]);
    const zero = await client.watchNthPrimes([0n]);
    expect(zero.end).toMatchObject({ ok: false, code: status.INVALID_ARGUMENT });
    expect(zero.messages).toEqual([]);
  });
});

describe('WatchNthPrimes in Redis mode', () => {
  let redis: TestRedis;
  let worker: ManagedProcess;
  let api: ManagedProcess;
  let client: TestCalcClient;

  beforeAll(async () => {
    redis = await startTestRedis();
    const queueName = freshQueueName('watch');
    worker = await startWorker(redis.url, queueName);
    ({ api, client } = await startApi({
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'twelvefa-test',
      QUEUE_NAME: queueName,
    }));
  });

  afterAll(async () => {
    client?.close();
    await api?.stop();
    await worker?.stop();
    await redis?.close();
  });

  it('streams the flow progress the workers report, then the answer', async () => {
    const { messages, end } = await client.watchNthPrimes([BigInt(MEDIUM_N)]);
    expect(end).toEqual({ ok: true, value: null });
    const parts = partsOf(messages, MEDIUM_N);
    // The parts as the plan counts them in either mode: its chunks and the combine step.
    const total = parts[0]?.total ?? 0;
    expect(total).toBeGreaterThan(2);
    expect(parts.every((part) => part.total === total)).toBe(true);
    expect(parts[0]?.done).toBe(0);
    expect(parts.at(-1)?.done).toBe(total);
    const done = parts.map((part) => part.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(messages.at(-1)?.answer?.nthPrimes).toEqual([BigInt(knownPrime(MEDIUM_N))]);
  });
});
