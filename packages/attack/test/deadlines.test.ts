import { status } from '@grpc/grpc-js';
import { nthPrime } from '@twelvefa/calc';
import { RawGrpcClient } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nthPrimesCall, timedNthPrimes } from '../src/calls.js';
import { DEADLINE_CASES } from '../src/deadline-cases.js';
import { type Api, startApi } from '../src/service.js';

// Above INLINE_MAX_N, so the call waits on the heavy-work actor, and so on its deadline.
const HEAVY_N = 20_000_003;

describe('hostile grpc-timeout headers on a heavy call', () => {
  let api: Api;
  let client: RawGrpcClient;

  beforeAll(async () => {
    api = await startApi({ RESULT_CACHE_SIZE: '0' });
    client = new RawGrpcClient(`127.0.0.1:${api.port}`);
  });

  afterAll(async () => {
    client?.close();
    await api?.process.stop();
  });

  const named = DEADLINE_CASES.map(
    ([timeout, code, what]) => [timeout, status[code], what, code] as const,
  );
  it.each(named)('grpc-timeout %s ends %s (%s)', async (timeout, _, __, code) => {
    const result = await timedNthPrimes(client, nthPrimesCall(HEAVY_N), timeout);
    expect(result.code, result.details).toBe(code);
    if (code === status.OK) expect(result.primes).toEqual([BigInt(nthPrime(HEAVY_N))]);
    else expect(result.ms).toBeLessThan(1000);
  });

  it('leaves no timer behind: the server is alive, with no warning logged', () => {
    expect(api.process.running).toBe(true);
    expect(api.process.log).not.toMatch(/TimeoutOverflowWarning|"level":[56]0/);
  });
});
