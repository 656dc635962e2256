import { status } from '@grpc/grpc-js';
import type { ManagedProcess } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCalcClient } from './helpers/calc-client.js';
import { knownPi, knownPrime } from './helpers/known-primes.js';
import { startedJobIds } from './helpers/queue-fixture.js';
import {
  type QueueStack,
  startQueueStack,
  startTestServer,
  type TestServer,
} from './helpers/test-server.js';

type PiStream = Awaited<ReturnType<TestCalcClient['watchPrimePi']>>;

/** The parts-done figures of one x across a stream's progress messages. */
function partsOf(messages: PiStream['messages'], x: bigint): { done: number; total: number }[] {
  return messages.flatMap((message) =>
    (message.progress?.x ?? [])
      .filter((item) => item.x === x)
      .map((item) => ({ done: item.partsDone, total: item.partsTotal })),
  );
}

describe('PrimePi on the embedded runner', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ RESULT_CACHE_SIZE: '0' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers small x inline, in the order asked, from 0 up', async () => {
    const x = [100n, 0n, 1n, 2n, 10n, 1_000_000n];
    expect(await t.client.primePi(x)).toEqual({
      ok: true,
      value: [25n, 0n, 0n, 1n, 4n, 78_498n],
    });
  });

  it('counts the primes up to 10^13 and 10^14 exactly, the published values', async () => {
    const x = [10n ** 14n, 10n ** 13n];
    expect(await t.client.primePi(x)).toEqual({ ok: true, value: x.map(knownPi) });
  });

  it('agrees with NthPrimes: pi(p_n) is n and pi(p_n - 1) is n - 1', async () => {
    const n = 1_000_000_000_000;
    const prime = knownPrime(n);
    expect(await t.client.primePi([prime, prime - 1n])).toEqual({
      ok: true,
      value: [BigInt(n), BigInt(n - 1)],
    });
  });

  it('rejects an empty list, x past MAX_X and too many x with the contract codes', async () => {
    const empty = await t.client.primePi([]);
    expect(empty).toMatchObject({ ok: false, code: status.INVALID_ARGUMENT });
    const beyond = t.config.maxX + 1n;
    const tooLarge = await t.client.primePi([10n, beyond]);
    expect(tooLarge).toMatchObject({ ok: false, code: status.OUT_OF_RANGE });
    if (!tooLarge.ok) expect(tooLarge.details).toContain(String(beyond));
    const many = Array.from({ length: t.config.maxBatch + 1 }, () => 10n);
    expect(await t.client.primePi(many)).toMatchObject({
      ok: false,
      code: status.RESOURCE_EXHAUSTED,
    });
  });

  it('streams each part of a heavy x as it finishes, then the answer, then ends OK', async () => {
    const x = 10n ** 15n;
    const { messages, end } = await t.client.watchPrimePi([10n, x]);
    expect(end).toEqual({ ok: true, value: null });
    const parts = partsOf(messages, x);
    const total = parts[0]?.total ?? 0;
    expect(total).toBeGreaterThan(1);
    expect(parts.map(({ done }) => done)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(messages.at(-1)?.answer?.pi).toEqual([4n, knownPi(x)]);
    expect(messages.filter((message) => message.answer !== undefined)).toHaveLength(1);
  });

  it('answers small x on the stream with the answer alone', async () => {
    const { messages, end } = await t.client.watchPrimePi([10n, 100n]);
    expect(end).toEqual({ ok: true, value: null });
    expect(messages).toEqual([{ progress: undefined, answer: { pi: [4n, 25n] } }]);
  });
});

describe('PrimePi on BullMQ workers', () => {
  let stack: QueueStack;
  let t: TestServer;
  let workers: readonly ManagedProcess[];

  beforeAll(async () => {
    stack = await startQueueStack('prime-pi', { RESULT_CACHE_SIZE: '0' });
    ({ t, workers } = stack);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('runs heavy x as jobs of their own, beside an nth prime of the same call', async () => {
    const x = 10n ** 13n;
    const [counts, primes] = await Promise.all([
      t.client.primePi([x, 100n]),
      t.client.nthPrimes([10_000_000n]),
    ]);
    expect(counts).toEqual({ ok: true, value: [knownPi(x), 25n] });
    expect(primes).toEqual({ ok: true, value: [knownPrime(10_000_000)] });
    const started = workers.flatMap((worker) => startedJobIds(worker));
    expect(started).toContain(`prime-count-${x}`);
    expect(started).toContain('nth-prime-10000000');
  });

  it('streams the workers progress for x, then the answer', async () => {
    const x = 10n ** 12n;
    const { messages, end } = await t.client.watchPrimePi([x]);
    expect(end).toEqual({ ok: true, value: null });
    const parts = partsOf(messages, x);
    expect(parts[0]?.done).toBe(0);
    expect(parts.at(-1)?.done).toBe(parts[0]?.total);
    expect(messages.at(-1)?.answer?.pi).toEqual([knownPi(x)]);
  });
});
