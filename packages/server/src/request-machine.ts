import { InvalidArgumentError, OutOfRangeError } from '@twelvefa/calc';
import { assign, fromPromise, setup } from 'xstate';
import {
  answerArithmetic,
  answerInlineNs,
  type CalcReply,
  type CalcRequest,
  checkNs,
  composeNthPrimes,
  type RequestLimits,
} from './calc-request.js';
import {
  CancelledError,
  DeadlineExceededError,
  ResourceExhaustedError,
  UnavailableError,
} from './errors.js';
import type { JobLease } from './jobs/job-registry.js';

/** What one request actor starts with. */
export interface RequestInput {
  readonly requestId: string;
  readonly request: CalcRequest;
  readonly limits: RequestLimits;
  /** Epoch ms by which the answer must be ready (the client's deadline or REQUEST_TIMEOUT_MS). */
  readonly deadline: number;
}

/** How a request ended: a reply, or the error the mapper turns into a gRPC status. */
export type RequestOutcome =
  | { readonly ok: true; readonly reply: CalcReply }
  | { readonly ok: false; readonly error: unknown };

/** Sent by the gRPC layer when the client cancels, or its deadline passes. */
export type RequestEvent = { readonly type: 'CANCEL' } | { readonly type: 'DEADLINE' };

export interface RequestContext {
  readonly requestId: string;
  readonly request: CalcRequest;
  readonly limits: RequestLimits;
  readonly deadline: number;
  /** NthPrimes: every n in request order. */
  readonly ns: readonly number[];
  /** NthPrimes: distinct n that need a job. */
  readonly heavyNs: readonly number[];
  /** NthPrimes: answers known so far. */
  readonly primes: ReadonlyMap<number, number>;
  /** Holds on the jobs computing heavyNs, released when the request leaves heavy work. */
  readonly leases: readonly JobLease[];
  readonly reply: CalcReply | undefined;
  readonly error: unknown;
}

/** Input of the dispatchJobs actor: the distinct heavy n of the request. */
export interface DispatchJobsInput {
  readonly ns: readonly number[];
}

/** Input of the awaitJobs actor. */
export interface AwaitJobsInput {
  readonly leases: readonly JobLease[];
}

// Shared empty values: a cheap call allocates as little as possible.
const NONE: readonly number[] = Object.freeze([]);
const NO_PRIMES: ReadonlyMap<number, number> = new Map();
const NO_LEASES: readonly JobLease[] = Object.freeze([]);

/**
 * Where every request actor starts. xstate reports no microstep for entering it, so observers
 * (the state timer, the transition log) are told it by name.
 */
export const INITIAL_STATE = 'answeringInline';

function notProvided(name: string): never {
  throw new Error(`${name} is not provided: use requestMachine.provide()`);
}

/**
 * One actor per call: validate, answer cheap work inline, dispatch heavy work
 * as jobs, wait, reply. Every way out is a named final state. Leaving heavy
 * work by any path (cancel, deadline, failure) stops the invoked actor, which
 * aborts its signal, and releases the jobs the request held.
 */
export const requestMachine = setup({
  types: {
    context: {} as RequestContext,
    input: {} as RequestInput,
    events: {} as RequestEvent,
    output: {} as RequestOutcome,
  },
  actors: {
    /** Starts (or joins) one job per heavy n; resolves once all are accepted. */
    dispatchJobs: fromPromise<readonly JobLease[], DispatchJobsInput>(async () =>
      notProvided('dispatchJobs'),
    ),
    /** Waits for every job's prime, in lease order. */
    awaitJobs: fromPromise<readonly number[], AwaitJobsInput>(({ input, signal }) =>
      Promise.all(input.leases.map((lease) => lease.result(signal))),
    ),
  },
  guards: {
    hasFailed: ({ context }) => context.error !== undefined,
    needsJobs: ({ context }) => context.heavyNs.length > 0,
    isInvalidArgument: ({ context }) => context.error instanceof InvalidArgumentError,
    isOutOfRange: ({ context }) => context.error instanceof OutOfRangeError,
    isResourceExhausted: ({ context }) => context.error instanceof ResourceExhaustedError,
    isUnavailable: ({ context }) => context.error instanceof UnavailableError,
  },
  actions: {
    // One assign for both: every assign copies the context and builds a new snapshot, and
    // the inline answer needs the validated n anyway.
    validateAndAnswerInline: assign(({ context }) => {
      try {
        if (context.request.method !== 'NthPrimes') {
          return { reply: answerArithmetic(context.request) };
        }
        const checked = checkNs(context.request.n, context.limits);
        const primes = answerInlineNs(checked.inline);
        return checked.heavy.length > 0
          ? { ns: checked.ns, heavyNs: checked.heavy, primes }
          : { ns: checked.ns, primes, reply: composeNthPrimes(checked.ns, primes) };
      } catch (error) {
        return { error };
      }
    }),
    recordError: assign((_, params: { error: unknown }) => ({ error: params.error })),
    recordCancel: assign({ error: () => new CancelledError() }),
    recordDeadline: assign({ error: () => new DeadlineExceededError() }),
    storeLeases: assign((_, params: { leases: readonly JobLease[] }) => ({
      leases: params.leases,
    })),
    composeReply: assign(({ context }, params: { primes: readonly number[] }) => {
      const primes = new Map(context.primes);
      context.heavyNs.forEach((n, index) => {
        const prime = params.primes[index];
        if (prime !== undefined) primes.set(n, prime);
      });
      try {
        return { primes, reply: composeNthPrimes(context.ns, primes) };
      } catch (error) {
        return { primes, error };
      }
    }),
    releaseJobs: ({ context }) => {
      for (const lease of context.leases) lease.release();
    },
  },
  delays: {
    untilDeadline: ({ context }) => Math.max(0, context.deadline - Date.now()),
  },
}).createMachine({
  id: 'request',
  context: ({ input }) => ({
    requestId: input.requestId,
    request: input.request,
    limits: input.limits,
    deadline: input.deadline,
    ns: NONE,
    heavyNs: NONE,
    primes: NO_PRIMES,
    leases: NO_LEASES,
    reply: undefined,
    error: undefined,
  }),
  // Validation is part of answeringInline's entry rather than a state of its own: each
  // transient state costs every request a microstep, and validation never waits.
  initial: INITIAL_STATE,
  states: {
    answeringInline: {
      entry: 'validateAndAnswerInline',
      always: [
        { guard: 'hasFailed', target: 'failing' },
        { guard: 'needsJobs', target: 'heavyWork' },
        { target: 'replied' },
      ],
    },
    // Only heavy work waits, so only it can be cancelled or run out of time: the states before
    // it are transient and a call answered inline is over before any event could arrive.
    heavyWork: {
      on: {
        CANCEL: { target: '#request.cancelled' },
        DEADLINE: { target: '#request.deadlineExceeded' },
      },
      initial: 'dispatchingJobs',
      exit: 'releaseJobs',
      after: { untilDeadline: { target: '#request.deadlineExceeded' } },
      states: {
        dispatchingJobs: {
          invoke: {
            src: 'dispatchJobs',
            input: ({ context }) => ({ ns: context.heavyNs }),
            onDone: {
              target: 'waitingForJobs',
              actions: { type: 'storeLeases', params: ({ event }) => ({ leases: event.output }) },
            },
            onError: {
              target: '#request.failing',
              actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
            },
          },
        },
        waitingForJobs: {
          invoke: {
            src: 'awaitJobs',
            input: ({ context }) => ({ leases: context.leases }),
            onDone: {
              target: 'replying',
              actions: { type: 'composeReply', params: ({ event }) => ({ primes: event.output }) },
            },
            onError: {
              target: '#request.failing',
              actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
            },
          },
        },
        replying: {
          always: [
            { guard: 'hasFailed', target: '#request.failing' },
            { target: '#request.replied' },
          ],
        },
      },
    },
    failing: {
      always: [
        { guard: 'isInvalidArgument', target: 'invalidArgument' },
        { guard: 'isOutOfRange', target: 'outOfRange' },
        { guard: 'isResourceExhausted', target: 'resourceExhausted' },
        { guard: 'isUnavailable', target: 'unavailable' },
        { target: 'internal' },
      ],
    },
    replied: { type: 'final' },
    invalidArgument: { type: 'final' },
    outOfRange: { type: 'final' },
    resourceExhausted: { type: 'final' },
    unavailable: { type: 'final' },
    internal: { type: 'final' },
    deadlineExceeded: { type: 'final', entry: 'recordDeadline' },
    cancelled: { type: 'final', entry: 'recordCancel' },
  },
  output: ({ context }): RequestOutcome =>
    context.error === undefined && context.reply !== undefined
      ? { ok: true, reply: context.reply }
      : { ok: false, error: context.error ?? new Error('request ended without a reply') },
});

/** The machine's type, for code that provides its actors. */
export type RequestMachine = typeof requestMachine;
