import { InvalidArgumentError, OutOfRangeError } from '@twelvefa/calc';
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import type { CalcRequest } from '../src/calc-request.js';
import {
  CancelledError,
  DeadlineExceededError,
  ResourceExhaustedError,
  UnavailableError,
} from '../src/errors.js';
import type { JobLease } from '../src/jobs/job-registry.js';
import {
  type DispatchJobsInput,
  type RequestMachine,
  type RequestOutcome,
  requestMachine,
} from '../src/request-machine.js';

const limits = { inlineMaxN: 1000, maxN: 1e12, maxBatch: 5 };
const U64_MAX = 2n ** 64n - 1n;

interface FakeJobs {
  readonly dispatched: number[][];
  readonly released: number[];
  readonly aborted: AbortSignal[];
}

/** Leases whose results come from `primeOf` (a promise per n); records dispatch and release. */
function fakeDispatch(primeOf: (n: number) => Promise<number>, jobs: FakeJobs) {
  return fromPromise<readonly JobLease[], DispatchJobsInput>(async ({ input, signal }) => {
    jobs.dispatched.push([...input.ns]);
    jobs.aborted.push(signal);
    return input.ns.map((n) => ({
      n,
      dispatched: Promise.resolve(),
      result: (resultSignal: AbortSignal) =>
        new Promise<number>((resolve, reject) => {
          jobs.aborted.push(resultSignal);
          resultSignal.addEventListener('abort', () => reject(resultSignal.reason), { once: true });
          primeOf(n).then(resolve, reject);
        }),
      release: () => jobs.released.push(n),
    }));
  });
}

function newJobs(): FakeJobs {
  return { dispatched: [], released: [], aborted: [] };
}

function run(
  request: CalcRequest,
  primeOf: (n: number) => Promise<number> = () => Promise.reject(new Error('no job expected')),
  jobs: FakeJobs = newJobs(),
  deadlineMs = 10_000,
) {
  const machine = requestMachine.provide({ actors: { dispatchJobs: fakeDispatch(primeOf, jobs) } });
  const actor = startRequest(machine, request, deadlineMs);
  return { actor, jobs, outcome: toPromise(actor) as Promise<RequestOutcome> };
}

/** Starts one request actor of `machine`, due in deadlineMs. */
function startRequest(machine: RequestMachine, request: CalcRequest, deadlineMs = 10_000) {
  return createActor(machine, {
    input: { requestId: 'test', request, limits, deadline: Date.now() + deadlineMs },
  }).start();
}

function finalState(actor: ReturnType<typeof run>['actor']): unknown {
  return actor.getSnapshot().value;
}

describe('the request machine', () => {
  describe('when the work is cheap', () => {
    it('answers Add and Max inline without dispatching a job', async () => {
      const add = run({ method: 'Add', a: 2n, b: 5n });
      expect(await add.outcome).toEqual({ ok: true, reply: { method: 'Add', sum: 7n } });
      const max = run({ method: 'Max', a: -(2n ** 63n), b: 2n ** 63n - 1n });
      expect(await max.outcome).toEqual({
        ok: true,
        reply: { method: 'Max', max: 2n ** 63n - 1n },
      });
      expect(finalState(add.actor)).toBe('replied');
      expect(add.jobs.dispatched).toEqual([]);
    });

    it('answers n up to INLINE_MAX_N inline, in request order', async () => {
      const { outcome, jobs } = run({ method: 'NthPrimes', n: [12n, 1n, 1000n, 12n] });
      expect(await outcome).toEqual({
        ok: true,
        reply: { method: 'NthPrimes', nthPrimes: [37n, 2n, 7919n, 37n] },
      });
      expect(jobs.dispatched).toEqual([]);
    });
  });

  describe('when the input is bad', () => {
    it('ends in outOfRange when Add overflows int64', async () => {
      const { actor, outcome } = run({ method: 'Add', a: 2n ** 63n - 1n, b: 1n });
      const result = await outcome;
      expect(finalState(actor)).toBe('outOfRange');
      expect(result.ok === false && result.error).toBeInstanceOf(OutOfRangeError);
    });

    it('ends in invalidArgument for an empty list and for n = 0', async () => {
      for (const n of [[], [3n, 0n]]) {
        const { actor, outcome } = run({ method: 'NthPrimes', n });
        const result = await outcome;
        expect(finalState(actor)).toBe('invalidArgument');
        expect(result.ok === false && result.error).toBeInstanceOf(InvalidArgumentError);
      }
    });

    it('ends in outOfRange for n above MAX_N, even at 2^64 - 1 where a number would round', async () => {
      for (const n of [1_000_000_000_001n, U64_MAX, 2n ** 53n + 1n]) {
        const { actor, outcome } = run({ method: 'NthPrimes', n: [n] });
        const result = await outcome;
        expect(finalState(actor)).toBe('outOfRange');
        expect(result.ok === false && String(result.error)).toContain(String(n));
      }
    });

    it('ends in resourceExhausted for a batch above MAX_BATCH', async () => {
      const { actor, outcome } = run({ method: 'NthPrimes', n: [1n, 2n, 3n, 4n, 5n, 6n] });
      const result = await outcome;
      expect(finalState(actor)).toBe('resourceExhausted');
      expect(result.ok === false && result.error).toBeInstanceOf(ResourceExhaustedError);
    });
  });

  describe('when the work is heavy', () => {
    it('dispatches each distinct heavy n once and merges the answers in request order', async () => {
      const { outcome, jobs } = run({ method: 'NthPrimes', n: [5000n, 12n, 2000n, 5000n] }, (n) =>
        Promise.resolve(n === 5000 ? 48611 : 17389),
      );
      expect(await outcome).toEqual({
        ok: true,
        reply: { method: 'NthPrimes', nthPrimes: [48611n, 37n, 17389n, 48611n] },
      });
      expect(jobs.dispatched).toEqual([[5000, 2000]]);
      expect(jobs.released.sort((a, b) => a - b)).toEqual([2000, 5000]);
    });

    it('ends in resourceExhausted when dispatching is refused for too much work in flight', async () => {
      const machine = requestMachine.provide({
        actors: {
          dispatchJobs: fromPromise<readonly JobLease[], DispatchJobsInput>(async () => {
            throw new ResourceExhaustedError('too much work in flight');
          }),
        },
      });
      const actor = startRequest(machine, { method: 'NthPrimes', n: [5000n] }, 1000);
      await toPromise(actor);
      expect(actor.getSnapshot().value).toBe('resourceExhausted');
    });

    it('ends in unavailable when the backing service is unreachable', async () => {
      const { actor, outcome } = run({ method: 'NthPrimes', n: [5000n] }, () =>
        Promise.reject(new UnavailableError('Redis is unreachable')),
      );
      const result = await outcome;
      expect(finalState(actor)).toBe('unavailable');
      expect(result.ok === false && String(result.error)).toContain('Redis is unreachable');
    });

    it('ends in internal when a job fails unexpectedly', async () => {
      const { actor, outcome } = run({ method: 'NthPrimes', n: [5000n] }, () =>
        Promise.reject(new Error('worker exploded')),
      );
      await outcome;
      expect(finalState(actor)).toBe('internal');
    });

    it('ends in deadlineExceeded when the jobs outlast the deadline, aborting the wait and releasing them', async () => {
      const { actor, outcome, jobs } = run(
        { method: 'NthPrimes', n: [5000n] },
        () => new Promise<number>(() => undefined),
        newJobs(),
        50,
      );
      const result = await outcome;
      expect(finalState(actor)).toBe('deadlineExceeded');
      expect(result.ok === false && result.error).toBeInstanceOf(DeadlineExceededError);
      expect(jobs.released).toEqual([5000]);
      expect(jobs.aborted.at(-1)?.aborted).toBe(true);
    });

    it('ends in cancelled when the client cancels, aborting the wait and releasing the jobs', async () => {
      const { actor, outcome, jobs } = run(
        { method: 'NthPrimes', n: [5000n, 6000n] },
        () => new Promise<number>(() => undefined),
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(actor.getSnapshot().value).toEqual({ heavyWork: 'waitingForJobs' });
      actor.send({ type: 'CANCEL' });
      const result = await outcome;
      expect(finalState(actor)).toBe('cancelled');
      expect(result.ok === false && result.error).toBeInstanceOf(CancelledError);
      expect(jobs.released.sort((a, b) => a - b)).toEqual([5000, 6000]);
      expect(jobs.aborted.slice(1).every((signal) => signal.aborted)).toBe(true);
    });

    it('aborts the dispatching actor when cancelled before the jobs are accepted', async () => {
      let dispatchSignal: AbortSignal | undefined;
      const machine = requestMachine.provide({
        actors: {
          dispatchJobs: fromPromise<readonly JobLease[], DispatchJobsInput>(({ signal }) => {
            dispatchSignal = signal;
            return new Promise(() => undefined);
          }),
        },
      });
      const actor = startRequest(machine, { method: 'NthPrimes', n: [5000n] });
      expect(actor.getSnapshot().value).toEqual({ heavyWork: 'dispatchingJobs' });
      actor.send({ type: 'CANCEL' });
      await toPromise(actor);
      expect(actor.getSnapshot().value).toBe('cancelled');
      expect(dispatchSignal?.aborted).toBe(true);
    });
  });
});
