// A request, as the states it goes through: validated, answered inline as far as it can be,
// computing whatever is heavy, then replied or failed. One actor per call.
import { assign, setup } from 'xstate';
import { targetId } from '../jobs/prime-target.js';
import type { CalcReply, CalcRequest } from './calc-calls.js';
import type { CallContext } from './call-context.js';
import { type HeavyWorkSource, heavyWork } from './heavy-work.js';
import {
  answerArithmetic,
  answerInline,
  type CheckedTargets,
  checkTargets,
  composeReply,
  type RequestLimits,
  type TargetsRequest,
} from './request-checks.js';

/** What one request actor starts with. */
export interface RequestInput {
  readonly request: CalcRequest;
  readonly limits: RequestLimits;
  /** The call: who asks (its heavy work queues fairly against other clients') and who listens. */
  readonly context: CallContext;
  /** Where its heavy work is asked for. */
  readonly heavyWorkSource: HeavyWorkSource;
}

/** How a request ended: a reply, or the error the one mapper turns into a status. */
export type RequestOutcome =
  | { readonly ok: true; readonly reply: CalcReply }
  | { readonly ok: false; readonly error: unknown };

/** Sent when the call's signal aborts: the client cancelled, or its deadline passed. */
export interface AbortEvent {
  readonly type: 'ABORT';
  /** CancelledError or DeadlineExceededError. */
  readonly reason: unknown;
}

interface RequestContext {
  readonly input: RequestInput;
  /** NthPrimes and PrimePi, once validated: every target in request order, inline or heavy. */
  readonly targets: CheckedTargets | undefined;
  /** NthPrimes and PrimePi: the answers found so far, by target id. */
  readonly answers: ReadonlyMap<string, bigint>;
  readonly reply: CalcReply | undefined;
  readonly error: unknown;
}

/** Where every request actor starts; xstate reports no microstep for entering it. */
export const INITIAL_STATE = 'validating';

function isTargetsRequest(request: CalcRequest): request is TargetsRequest {
  return request.method === 'NthPrimes' || request.method === 'PrimePi';
}

/** Runs a step that may throw: its result, or the error the request fails with. */
function attempt<T>(step: () => T): T | { readonly error: unknown } {
  try {
    return step();
  } catch (error) {
    return { error };
  }
}

/**
 * The request machine. Validation and inline answers are steps on plain data
 * (request-checks.ts) whose errors fail the request; only `computing` waits, so only it can be
 * aborted. The error a request fails with says why; the one mapper (call-status.ts) turns it
 * into a status.
 */
export const requestMachine = setup({
  types: {
    context: {} as RequestContext,
    input: {} as RequestInput,
    events: {} as AbortEvent,
    output: {} as RequestOutcome,
  },
  actors: { heavyWork },
  guards: {
    hasFailed: ({ context }) => context.error !== undefined,
    needsHeavyWork: ({ context }) => (context.targets?.heavy.length ?? 0) > 0,
  },
  actions: {
    // Add and Max arrive valid (any two int64); the n or x of the others are checked.
    validate: assign(({ context: { input } }) => {
      const { request, limits } = input;
      return isTargetsRequest(request)
        ? attempt(() => ({ targets: checkTargets(request, limits) }))
        : {};
    }),
    answerInline: assign(({ context }) => {
      const { request } = context.input;
      if (!isTargetsRequest(request)) {
        return attempt(() => ({ reply: answerArithmetic(request) }));
      }
      const checked = context.targets as CheckedTargets;
      const answers = answerInline(checked.inline);
      return checked.heavy.length > 0
        ? { answers }
        : { answers, reply: composeReply(request, checked.targets, answers) };
    }),
    composeReply: assign(({ context }, { heavy }: { heavy: readonly bigint[] }) => {
      const checked = context.targets as CheckedTargets;
      const answers = new Map(context.answers);
      checked.heavy.forEach((target, index) => {
        const answer = heavy[index];
        if (answer !== undefined) answers.set(targetId(target), answer);
      });
      // Every heavy target has its answer by now: a throw here is a bug, and errors the actor.
      const request = context.input.request as TargetsRequest;
      return { reply: composeReply(request, checked.targets, answers) };
    }),
    fail: assign((_, { error }: { error: unknown }) => ({ error })),
  },
}).createMachine({
  id: 'request',
  context: ({ input }) => ({
    input,
    targets: undefined,
    answers: new Map(),
    reply: undefined,
    error: undefined,
  }),
  initial: INITIAL_STATE,
  states: {
    validating: {
      entry: 'validate',
      always: [{ guard: 'hasFailed', target: 'failed' }, { target: 'answeringInline' }],
    },
    // Add and Max, and the n and x within INLINE_MAX_N and INLINE_MAX_X: answered here, on the
    // caller's turn.
    answeringInline: {
      entry: 'answerInline',
      always: [
        { guard: 'hasFailed', target: 'failed' },
        { guard: 'needsHeavyWork', target: 'computing' },
        { target: 'replied' },
      ],
    },
    // Leaving by any path stops the heavy-work actor, which lets its jobs go.
    computing: {
      invoke: {
        src: 'heavyWork',
        input: ({ context }) => ({
          targets: (context.targets as CheckedTargets).heavy,
          context: context.input.context,
          source: context.input.heavyWorkSource,
        }),
        onDone: {
          target: 'replied',
          actions: { type: 'composeReply', params: ({ event }) => ({ heavy: event.output }) },
        },
        onError: {
          target: 'failed',
          actions: { type: 'fail', params: ({ event }) => ({ error: event.error }) },
        },
      },
      on: {
        ABORT: {
          target: 'failed',
          actions: { type: 'fail', params: ({ event }) => ({ error: event.reason }) },
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

/** The machine's type, for tests that provide their own heavy work. */
export type RequestMachine = typeof requestMachine;
