import { EventEmitter } from 'node:events';
import { status } from '@grpc/grpc-js';
import { NthPrimesRequest, NthPrimesResponse } from '@twelvefa/proto';
import { prepareCall, RawGrpcClient } from '@twelvefa/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CancelledError, DeadlineExceededError } from '../src/errors.js';
import { abortOnCancelOrDeadline } from '../src/grpc/call-context-of.js';
import { atDeadline } from '../src/grpc/deadline-timer.js';
import { knownPrime, MEDIUM_N } from './helpers/known-primes.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { waitUntil } from './helpers/wait-until.js';

// Above INLINE_MAX_N: answered by the request actor's heavy-work actor, which waits on the
// runner and so on the deadline. With no result cache every call computes afresh.
const HEAVY_N = 10_000_000;
const DAY_MS = 86_400_000;

function nthPrimesCall(n: number) {
  return prepareCall('/calc.Calc/NthPrimes', NthPrimesRequest.encode({ n: [BigInt(n)] }).finish());
}

describe('deadlines', () => {
  let t: TestServer;
  let raw: RawGrpcClient;

  beforeAll(async () => {
    t = await startTestServer({ RESULT_CACHE_SIZE: '0' });
    raw = new RawGrpcClient(`127.0.0.1:${t.port}`);
  });

  afterAll(async () => {
    raw?.close();
    await t?.close();
  });

  it('answers a heavy call whose client deadline is 30 days away', async () => {
    // 2^31 ms is 24.8 days: a timer that long overflows and fires after 1 ms.
    const result = await t.client.nthPrimes([BigInt(HEAVY_N)], { deadlineMs: 30 * DAY_MS });
    expect(result).toEqual({ ok: true, value: [BigInt(knownPrime(HEAVY_N))] });
  });

  // The grpc-timeout values other clients send for deadlines of 25 days and more (grpc-go
  // picks hours), up to the largest the protocol allows.
  it.each(['2147484S', '597H', '720H', '8760H', '99999999H'])(
    'answers a heavy call with grpc-timeout %s',
    async (timeout) => {
      const result = await raw.send(nthPrimesCall(HEAVY_N), { 'grpc-timeout': timeout });
      expect(result.status).toBe(status.OK);
      const response = NthPrimesResponse.decode(result.message ?? new Uint8Array());
      expect(response.nthPrimes).toEqual([BigInt(knownPrime(HEAVY_N))]);
    },
  );

  it.each(['1m', '0m', '0n'])(
    'ends a heavy call with grpc-timeout %s DEADLINE_EXCEEDED',
    async (timeout) => {
      // About 0.4 s of work: it cannot be done in time.
      const result = await raw.send(nthPrimesCall(MEDIUM_N), { 'grpc-timeout': timeout });
      expect(result.status).toBe(status.DEADLINE_EXCEEDED);
      await waitUntil(
        () => t.registry.stats().inFlight === 0 && t.registry.runner.pendingCount() === 0,
        'the abandoned work is cancelled',
      );
    },
  );

  it('answers INVALID_ARGUMENT, saying why, to a grpc-timeout that is not one', async () => {
    const result = await raw.send(nthPrimesCall(HEAVY_N), { 'grpc-timeout': 'abc' });
    expect(result).toMatchObject({
      status: status.INVALID_ARGUMENT,
      details: 'Invalid grpc-timeout value "abc"',
    });
  });
});

describe('atDeadline', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits out a deadline beyond what one timer reaches, in steps, and fires once at it', () => {
    vi.useFakeTimers({ now: 0 });
    const expire = vi.fn();
    atDeadline(30 * DAY_MS, expire);
    vi.advanceTimersByTime(1);
    expect(expire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30 * DAY_MS - 2);
    expect(expire).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(30 * DAY_MS);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('fires at once for a deadline already past, and never once cancelled', () => {
    vi.useFakeTimers({ now: 1000 });
    const past = vi.fn();
    atDeadline(0, past);
    expect(past).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(0);
    expect(past).toHaveBeenCalledTimes(1);
    const cancelled = vi.fn();
    const cancel = atDeadline(1000 + 30 * DAY_MS, cancelled);
    vi.advanceTimersByTime(25 * DAY_MS);
    cancel();
    vi.advanceTimersByTime(10 * DAY_MS);
    expect(cancelled).not.toHaveBeenCalled();
  });
});

describe('abortOnCancelOrDeadline', () => {
  /** A call as grpc-js hands it over: an emitter of 'cancelled' with a flag. */
  const callOf = () => Object.assign(new EventEmitter(), { cancelled: false });

  it('aborts before it returns when the deadline has already passed, so no answer can win', () => {
    const abort = vi.fn();
    abortOnCancelOrDeadline(callOf(), Date.now() - 1, abort);
    expect(abort).toHaveBeenCalledTimes(1);
    expect(abort.mock.calls[0]![0]).toBeInstanceOf(DeadlineExceededError);
  });

  it('aborts with CancelledError when the client cancels before the deadline, and stops on stop()', () => {
    const call = callOf();
    const abort = vi.fn();
    const stop = abortOnCancelOrDeadline(call, Date.now() + 60_000, abort);
    expect(abort).not.toHaveBeenCalled();
    call.cancelled = true;
    call.emit('cancelled');
    expect(abort.mock.calls[0]![0]).toBeInstanceOf(CancelledError);
    stop();
    call.emit('cancelled');
    expect(abort).toHaveBeenCalledTimes(1);
  });
});
