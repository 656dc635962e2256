// Answers each call with its own request actor.
import { createActor } from 'xstate';
import type { Answer, Answerer } from './answerer.js';
import type { CalcMethod, CalcReply, CalcRequest } from './calc-calls.js';
import type { CallContext } from './call-context.js';
import type { HeavyWorkSource } from './heavy-work.js';
import type { RequestLimits } from './request-checks.js';
import {
  INITIAL_STATE,
  type RequestMachine,
  type RequestOutcome,
  requestMachine,
} from './request-machine.js';
import { type TransitionWatcher, transitionInspector } from './request-transitions.js';

/** The reply of an actor that answered `request`: of the same method, or a bug found here. */
function replyTo<M extends CalcMethod>(
  request: CalcRequest<M>,
  outcome: RequestOutcome | undefined,
): CalcReply<M> {
  if (outcome === undefined) throw new Error('request actor ended without output');
  if (!outcome.ok) throw outcome.error;
  if (outcome.reply.method !== request.method) {
    throw new Error(`a ${request.method} call was answered as ${outcome.reply.method}`);
  }
  return outcome.reply as CalcReply<M>;
}

/** What the actor answerer is built from. */
export interface ActorAnswererDeps {
  /** Where the actors' heavy work is asked for (the job registry). */
  readonly heavyWork: HeavyWorkSource;
  readonly limits: RequestLimits;
  /** Told every transition of every request actor (debug log, per-state times); none: no inspector. */
  readonly watchers?: readonly TransitionWatcher[];
  /** The machine to run (tests provide their own heavy work); the request machine by default. */
  readonly machine?: RequestMachine;
}

/**
 * Answers each call with its own request actor: a cheap call ends inside start() and is
 * answered synchronously; heavy work is awaited, and the call's signal aborts it.
 */
export function createActorAnswerer(deps: ActorAnswererDeps): Answerer {
  const { heavyWork, limits, machine = requestMachine } = deps;
  const watchers = deps.watchers ?? [];
  return <M extends CalcMethod>(request: CalcRequest<M>, context: CallContext): Answer<M> => {
    let inspect: ReturnType<typeof transitionInspector> | undefined;
    if (watchers.length > 0) {
      const watching = watchers.map((watcher) => watcher(context));
      // Entering the initial state happens while the actor is created and is not a microstep.
      const init = { event: { type: 'xstate.init' }, state: INITIAL_STATE, done: false };
      for (const watch of watching) watch(init);
      inspect = transitionInspector((transition) => {
        for (const watch of watching) watch(transition);
      });
    }
    const input = { request, limits, context, heavyWorkSource: heavyWork };
    const actor = createActor(machine, { input, ...(inspect && { inspect }) });
    actor.start();
    const snapshot = actor.getSnapshot();
    if (snapshot.status === 'done') return replyTo(request, snapshot.output);
    if (snapshot.status === 'error') throw snapshot.error;
    const { signal } = context.call;
    return new Promise<CalcReply<M>>((resolve, reject) => {
      const onAbort = (): void => actor.send({ type: 'ABORT', reason: signal.reason });
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => signal.removeEventListener('abort', onAbort);
      actor.subscribe({
        complete: () => {
          settle();
          try {
            resolve(replyTo(request, actor.getSnapshot().output));
          } catch (error) {
            reject(error);
          }
        },
        error: (error) => {
          settle();
          reject(error);
        },
      });
      if (signal.aborted) onAbort();
    });
  };
}
