import { InvalidArgumentError, nthPrimeExact, OutOfRangeError } from '@twelvefa/calc';
import { freePort } from '@twelvefa/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { abortable } from '../src/abortable.js';
import {
  CancelledError,
  DeadlineExceededError,
  ResourceExhaustedError,
  UnavailableError,
} from '../src/errors.js';
import { BullmqJobRunner } from '../src/jobs/bullmq-job-runner.js';
import { EmbeddedJobRunner } from '../src/jobs/embedded-job-runner.js';
import { JobRegistry } from '../src/jobs/job-registry.js';
import type { JobRunner } from '../src/jobs/job-runner.js';
import type { PrimeTarget } from '../src/jobs/prime-target.js';
import type { CalcRequest } from '../src/request/calc-calls.js';
import type { CallContext } from '../src/request/call-context.js';
import type { HeavyWorkInput, HeavyWorkSource } from '../src/request/heavy-work.js';
import {
  type RequestMachine,
  type RequestOutcome,
  requestMachine,
} from '../src/request/request-machine.js';
import { quietLogger } from './helpers/queue-fixture.js';
import { nth } from './helpers/targets.js';
import { waitUntil } from './helpers/wait-until.js';

const UNREACHABLE_QUEUE = {
  queuePrefix: 'twelvefa-test',
  queueName: 'unreachable',
  attempts: 1,
  backoffMs: 100,
  keepCompleted: 0,
  keepFailed: 0,
  parallelismFloor: 1,
};

const limits = {
  inlineMaxN: 1000,
  maxN: 10n ** 12n,
  inlineMaxX: 1000,
  maxX: 10n ** 13n,
  maxBatch: 5,
};
const U64_MAX = 2n ** 64n - 1n;

/** What the heavy-work actor was asked and whether it was stopped. */
interface HeavyCalls {
  /** The n or x of each target asked for. */
  readonly asked: bigint[][];
  readonly signals: AbortSignal[];
}

/** The n or x of a target. */
const numberOf = (target: PrimeTarget): bigint =>
  target.kind === 'nth-prime' ? target.n : target.x;

/** A heavy-work actor answering each target with answerOf(n or x); records what it was asked. */
function fakeHeavyWork(answerOf: (value: bigint) => Promise<bigint>, calls: HeavyCalls) {
  return fromPromise<readonly bigint[], HeavyWorkInput>(async ({ input, signal }) => {
    calls.asked.push(input.targets.map(numberOf));
    calls.signals.push(signal);
    return abortable(
      Promise.all(input.targets.map((target) => answerOf(numberOf(target)))),
      signal,
    );
  });
}

/** A call's context, as the gRPC adapter makes one. */
function callContext(): CallContext {
  const controller = new AbortController();
  return {
    call: {
      requestId: 'test',
      rpc: 'NthPrimes',
      rpcType: 'unary',
      deadline: Date.now() + 60_000,
      peer: '127.0.0.1',
      signal: controller.signal,
    },
    credential: undefined,
    client: 'test',
  };
}

/** No heavy work is expected from a request run against this. */
const NO_HEAVY_WORK: HeavyWorkSource = {
  acquire: () => {
    throw new Error('no heavy work expected');
  },
  room: () => 0,
  needsRoom: () => true,
  clientShare: 1,
  roomFreed: () => Promise.reject(new Error('no heavy work expected')),
};

/** Starts one request actor of `machine`, its heavy work asked of `source`. */
function startRequest(
  machine: RequestMachine,
  request: CalcRequest,
  source: HeavyWorkSource = NO_HEAVY_WORK,
) {
  const input = { request, limits, context: callContext(), heavyWorkSource: source };
  return createActor(machine, { input }).start();
}

function run(
  request: CalcRequest,
  answerOf: (value: bigint) => Promise<bigint> = () => Promise.reject(new Error('no job expected')),
) {
  const calls: HeavyCalls = { asked: [], signals: [] };
  const machine = requestMachine.provide({
    actors: { heavyWork: fakeHeavyWork(answerOf, calls) },
  });
  const actor = startRequest(machine, request);
  return { actor, calls, outcome: toPromise(actor) as Promise<RequestOutcome> };
}

function finalState(actor: ReturnType<typeof run>['actor']): unknown {
  return actor.getSnapshot().value;
}

/** The error of a failed outcome. */
function errorOf(outcome: RequestOutcome): unknown {
  expect(outcome.ok).toBe(false);
  return outcome.ok ? undefined : outcome.error;
}

describe('the request machine', () => {
  describe('when the work is cheap', () => {
    it('answers Add and Max inline, within start(), without heavy work', async () => {
      const add = run({ method: 'Add', a: 2n, b: 5n });
      expect(add.actor.getSnapshot().status).toBe('done');
      expect(await add.outcome).toEqual({ ok: true, reply: { method: 'Add', sum: 7n } });
      const max = run({ method: 'Max', a: -(2n ** 63n), b: 2n ** 63n - 1n });
      expect(await max.outcome).toEqual({
        ok: true,
        reply: { method: 'Max', max: 2n ** 63n - 1n },
      });
      expect(finalState(add.actor)).toBe('replied');
      expect(add.calls.asked).toEqual([]);
    });

    it('answers n up to INLINE_MAX_N inline, in request order', async () => {
      const { outcome, calls } = run({ method: 'NthPrimes', n: [12n, 1n, 1000n, 12n] });
      expect(await outcome).toEqual({
        ok: true,
        reply: { method: 'NthPrimes', nthPrimes: [37n, 2n, 7919n, 37n] },
      });
      expect(calls.asked).toEqual([]);
    });
  });

  describe('when the input is bad', () => {
    it('fails with OutOfRangeError when Add overflows int64', async () => {
      const { actor, outcome } = run({ method: 'Add', a: 2n ** 63n - 1n, b: 1n });
      expect(errorOf(await outcome)).toBeInstanceOf(OutOfRangeError);
      expect(finalState(actor)).toBe('failed');
    });

    it('fails with InvalidArgumentError for an empty list and for n = 0', async () => {
      for (const n of [[], [3n, 0n]]) {
        const { actor, outcome } = run({ method: 'NthPrimes', n });
        expect(errorOf(await outcome)).toBeInstanceOf(InvalidArgumentError);
        expect(finalState(actor)).toBe('failed');
      }
    });

    it('fails with OutOfRangeError for n above MAX_N, even at 2^64 - 1 where a number would round', async () => {
      for (const n of [1_000_000_000_001n, U64_MAX, 2n ** 53n + 1n]) {
        const { outcome } = run({ method: 'NthPrimes', n: [n] });
        const error = errorOf(await outcome);
        expect(error).toBeInstanceOf(OutOfRangeError);
        expect(String(error)).toContain(String(n));
      }
    });

    it('answers PrimePi inline up to INLINE_MAX_X and fails x above MAX_X, naming it', async () => {
      const { outcome } = run({ method: 'PrimePi', x: [10n, 0n, 1000n, 10n] });
      expect(await outcome).toEqual({
        ok: true,
        reply: { method: 'PrimePi', pi: [4n, 0n, 168n, 4n] },
      });
      const above = errorOf(await run({ method: 'PrimePi', x: [10n ** 13n + 1n] }).outcome);
      expect(above).toBeInstanceOf(OutOfRangeError);
      expect(String(above)).toContain('x = 10000000000001');
      const empty = errorOf(await run({ method: 'PrimePi', x: [] }).outcome);
      expect(String(empty)).toContain('at least one x is required');
    });

    it('asks for heavy x as pi(x) targets and answers in request order', async () => {
      const { outcome, calls } = run({ method: 'PrimePi', x: [10n ** 12n, 100n] }, (x) =>
        Promise.resolve(x === 10n ** 12n ? 37607912018n : 0n),
      );
      expect(await outcome).toEqual({
        ok: true,
        reply: { method: 'PrimePi', pi: [37607912018n, 25n] },
      });
      expect(calls.asked).toEqual([[10n ** 12n]]);
    });

    it('fails with ResourceExhaustedError for a batch above MAX_BATCH', async () => {
      const { outcome } = run({ method: 'NthPrimes', n: [1n, 2n, 3n, 4n, 5n, 6n] });
      expect(errorOf(await outcome)).toBeInstanceOf(ResourceExhaustedError);
    });
  });

  describe('when the work is heavy', () => {
    it('asks for each distinct heavy n once and merges the answers in request order', async () => {
      const { outcome, calls } = run({ method: 'NthPrimes', n: [5000n, 12n, 2000n, 5000n] }, (n) =>
        Promise.resolve(n === 5000n ? 48611n : 17389n),
      );
      expect(await outcome).toEqual({
        ok: true,
        reply: { method: 'NthPrimes', nthPrimes: [48611n, 37n, 17389n, 48611n] },
      });
      expect(calls.asked).toEqual([[5000n, 2000n]]);
    });

    it('fails with whatever the heavy work failed with: too much in flight, unreachable Redis, a bug', async () => {
      for (const failure of [
        new ResourceExhaustedError('too much work in flight'),
        new UnavailableError('Redis is unreachable'),
        new Error('worker exploded'),
      ]) {
        const { actor, outcome } = run({ method: 'NthPrimes', n: [5000n] }, () =>
          Promise.reject(failure),
        );
        expect(errorOf(await outcome)).toBe(failure);
        expect(finalState(actor)).toBe('failed');
      }
    });

    it('fails with the reason of an abort (cancel or deadline), stopping the heavy work', async () => {
      for (const reason of [new CancelledError(), new DeadlineExceededError()]) {
        const { actor, outcome, calls } = run(
          { method: 'NthPrimes', n: [5000n, 6000n] },
          () => new Promise<bigint>(() => undefined),
        );
        expect(actor.getSnapshot().value).toBe('computing');
        actor.send({ type: 'ABORT', reason });
        expect(errorOf(await outcome)).toBe(reason);
        expect(calls.signals.every((signal) => signal.aborted)).toBe(true);
      }
    });
  });
});

/** A registry whose leases answer with primeOf(n); records acquisitions and releases. */
describe('the heavy-work actor over a registry', () => {
  // Real registries over real runners: two heavy n above the test limits' inlineMaxN.
  const request: CalcRequest = { method: 'NthPrimes', n: [5000n, 6000n] };
  const runners: JobRunner[] = [];
  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.close()));
  });

  function registryOver(runner: JobRunner, maxInFlight = 10): JobRegistry {
    runners.push(runner);
    return new JobRegistry(runner, { maxInFlight, cacheSize: 0 });
  }

  /** Resolves once the registry holds nothing and its runner tracks nothing. */
  function holdsNothing(registry: JobRegistry): Promise<void> {
    return waitUntil(
      () => registry.stats().inFlight === 0 && registry.runner.pendingCount() === 0,
      'every lease released and every job settled',
    );
  }

  it('holds the jobs while it waits and lets them go once answered', async () => {
    const registry = registryOver(new EmbeddedJobRunner({ threads: 1 }));
    const actor = startRequest(requestMachine, request, registry);
    expect(registry.stats()).toMatchObject({ started: 2, inFlight: 2 });
    expect(await toPromise(actor)).toEqual({
      ok: true,
      reply: { method: 'NthPrimes', nthPrimes: [48611n, 59359n] },
    });
    await holdsNothing(registry);
  });

  it('lets them go, cancelling the jobs, when stopped by an abort', async () => {
    const registry = registryOver(new EmbeddedJobRunner({ threads: 1 }));
    // Tenths of a second of work each (the test limits' MAX_N): still running at the abort.
    const heavy: CalcRequest = { method: 'NthPrimes', n: [10n ** 12n, 10n ** 12n - 1n] };
    const actor = startRequest(requestMachine, heavy, registry);
    expect(registry.stats().inFlight).toBe(2);
    actor.send({ type: 'ABORT', reason: new CancelledError() });
    expect(errorOf((await toPromise(actor)) as RequestOutcome)).toBeInstanceOf(CancelledError);
    await holdsNothing(registry);
  });

  it('lets them go when the runner fails them', async () => {
    // Nothing listens on the port: the BullMQ runner cannot queue the jobs.
    const unreachable = new BullmqJobRunner(
      { ...UNREACHABLE_QUEUE, redis: { url: `redis://127.0.0.1:${await freePort()}` } },
      quietLogger,
    );
    const registry = registryOver(unreachable);
    const actor = startRequest(requestMachine, request, registry);
    expect(errorOf((await toPromise(actor)) as RequestOutcome)).toBeInstanceOf(UnavailableError);
    await holdsNothing(registry);
  });

  it('holds nothing when the registry has no room for even one n', async () => {
    const registry = registryOver(new EmbeddedJobRunner({ threads: 1 }), 1);
    const [busy] = registry.acquire([nth(10 ** 12)], 'someone else');
    const actor = startRequest(requestMachine, request, registry);
    const error = errorOf((await toPromise(actor)) as RequestOutcome);
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect((error as Error).message).toBe(
      'too much work in flight: all 1 heavy computations MAX_IN_FLIGHT allows are held (0 of them being cancelled); retry later',
    );
    expect(registry.stats()).toMatchObject({ started: 1, inFlight: 1 });
    busy?.release();
    await holdsNothing(registry);
  });

  it('runs a batch larger than MAX_IN_FLIGHT a few n at a time, never holding more than its share', async () => {
    const registry = registryOver(new EmbeddedJobRunner({ threads: 1 }), 4);
    const ns = Array.from({ length: 5 }, (_, i) => BigInt(5_000_000 + 1000 * i));
    const most = { inFlight: 0 };
    const watching = setInterval(() => {
      most.inFlight = Math.max(most.inFlight, registry.stats().inFlight);
    }, 1);
    try {
      const actor = startRequest(requestMachine, { method: 'NthPrimes', n: ns }, registry);
      const outcome = (await toPromise(actor)) as RequestOutcome;
      expect(outcome).toEqual({
        ok: true,
        reply: { method: 'NthPrimes', nthPrimes: ns.map((n) => nthPrimeExact(n)) },
      });
      expect(registry.stats().started).toBe(5);
      // Half of MAX_IN_FLIGHT 4.
      expect(most.inFlight).toBeLessThanOrEqual(2);
    } finally {
      clearInterval(watching);
    }
    await holdsNothing(registry);
  });
});
