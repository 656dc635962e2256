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

/** What one request actor starts with. */
export interface RequestInput {
  readonly request: CalcRequest;
  readonly limits: RequestLimits;
  /** Told the progress of the heavy n while they are computed (WatchNthPrimes). */
  readonly onProgress?: HeavyProgressListener | undefined;
  /** Who asked (CallContext.client): its heavy work queues fairly against other clients'. */
  readonly client: string;
}

/** One heavy n's progress: `done` of `total` parts of its computation. */
export interface HeavyProgress {
  readonly n: number;
  readonly done: number;
  readonly total: number;
}

/** Told every heavy n's latest progress, whenever one of them moves. */
export type HeavyProgressListener = (progress: readonly HeavyProgress[]) => void;

/** How a request ended: a reply, or the error the one mapper turns into a gRPC status. */
export type RequestOutcome =
  | { readonly ok: true; readonly reply: CalcReply }
  | { readonly ok: false; readonly error: unknown };

/** Sent when the call's signal aborts: the client cancelled, or its deadline passed. */
export interface AbortEvent {
  readonly type: 'ABORT';
  /** CancelledError or DeadlineExceededError. */
  readonly reason: unknown;
}

export interface RequestContext {
  readonly request: CalcRequest;
  readonly limits: RequestLimits;
  /** NthPrimes: every n in request order. */
  readonly ns: readonly number[];
  /** NthPrimes: distinct n that need heavy work. */
  readonly heavyNs: readonly number[];
  /** NthPrimes: answers found inline. */
  readonly primes: ReadonlyMap<number, number>;
  readonly reply: CalcReply | undefined;
  readonly error: unknown;
  readonly onProgress: HeavyProgressListener | undefined;
  readonly client: string;
}

/** Input of the heavy-work actor: the distinct heavy n of the request, and who asked. */
export interface HeavyWorkInput {
  readonly ns: readonly number[];
  readonly onProgress: HeavyProgressListener | undefined;
  readonly client: string;
}

// Shared empty values: a cheap call allocates as little as possible.
const NONE: readonly number[] = Object.freeze([]);
const NO_PRIMES: ReadonlyMap<number, number> = new Map();

/**
 * Where every request actor starts. xstate reports no microstep for entering it, so watchers
 * of the transitions are told it by name.
 */
export const INITIAL_STATE = 'answeringInline';

/**
 * The context a request actor starts with: the request validated and everything cheap answered
 * (Add, Max, n within INLINE_MAX_N), or the error that fails it. Done while the actor is
 * created rather than in an entry action: every assign copies the context and builds a new
 * snapshot, which each of thousands of calls a second would pay.
 */
function answerInline({ request, limits, onProgress, client }: RequestInput): RequestContext {
  // Object literals with every field, not spreads: one allocation, one hidden class.
  try {
    if (request.method !== 'NthPrimes') {
      const reply = answerArithmetic(request);
      return {
        request,
        limits,
        ns: NONE,
        heavyNs: NONE,
        primes: NO_PRIMES,
        reply,
        error: undefined,
        onProgress,
        client,
      };
    }
    const { ns, inline, heavy } = checkNs(request.n, limits);
    const primes = answerInlineNs(inline);
    const reply = heavy.length > 0 ? undefined : composeNthPrimes(ns, primes);
    return {
      request,
      limits,
      ns,
      heavyNs: heavy,
      primes,
      reply,
      error: undefined,
      onProgress,
      client,
    };
  } catch (error) {
    return {
      request,
      limits,
      ns: NONE,
      heavyNs: NONE,
      primes: NO_PRIMES,
      reply: undefined,
      error,
      onProgress,
      client,
    };
  }
}

/**
 * One actor per call: validate and answer cheap work inline, then, for heavy n, run the
 * heavy-work actor (which holds the jobs while it runs: stopping it, on an abort, is the
 * clean-up). It ends `replied` or `failed`; the error says why, and the gRPC layer's one mapper
 * turns it into a status.
 */
export const requestMachine = setup({
  types: {
    context: {} as RequestContext,
    input: {} as RequestInput,
    events: {} as AbortEvent,
    output: {} as RequestOutcome,
  },
  actors: {
    /** The primes of input.ns, in order; provided by the server (see actor-answerer.ts). */
    heavyWork: fromPromise<readonly number[], HeavyWorkInput>(async () => {
      throw new Error('heavyWork is not provided: use requestMachine.provide()');
    }),
  },
  guards: {
    hasFailed: ({ context }) => context.error !== undefined,
    needsHeavyWork: ({ context }) => context.heavyNs.length > 0,
  },
  actions: {
    recordError: assign((_, params: { error: unknown }) => ({ error: params.error })),
    composeReply: assign(({ context }, params: { primes: readonly number[] }) => {
      const primes = new Map(context.primes);
      context.heavyNs.forEach((n, index) => {
        const prime = params.primes[index];
        if (prime !== undefined) primes.set(n, prime);
      });
      return { reply: composeNthPrimes(context.ns, primes) };
    }),
  },
}).createMachine({
  id: 'request',
  context: ({ input }) => answerInline(input),
  initial: INITIAL_STATE,
  states: {
    // Left at once: to failed, to replied, or to heavyWork for what is left.
    answeringInline: {
      always: [
        { guard: 'hasFailed', target: 'failed' },
        { guard: 'needsHeavyWork', target: 'heavyWork' },
        { target: 'replied' },
      ],
    },
    // Only heavy work waits, so only it can be aborted: a call answered inline is over before
    // any event could arrive. Leaving it by any path stops the actor, which aborts its signal.
    heavyWork: {
      invoke: {
        src: 'heavyWork',
        input: ({ context }) => ({
          ns: context.heavyNs,
          onProgress: context.onProgress,
          client: context.client,
        }),
        onDone: {
          target: 'replied',
          actions: { type: 'composeReply', params: ({ event }) => ({ primes: event.output }) },
        },
        onError: {
          target: 'failed',
          actions: { type: 'recordError', params: ({ event }) => ({ error: event.error }) },
        },
      },
      on: {
        ABORT: {
          target: 'failed',
          actions: { type: 'recordError', params: ({ event }) => ({ error: event.reason }) },
        },
      },
    },
    replied: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }): RequestOutcome =>
    context.error === undefined && context.reply !== undefined
      ? { ok: true, reply: context.reply }
      : { ok: false, error: context.error ?? new Error('request ended without a reply') },
});

/** The machine's type, for code that provides its actors. */
export type RequestMachine = typeof requestMachine;
