import { createActor, fromPromise } from 'xstate';
import type { Answerer } from './answerer.js';
import type { CalcReply, RequestLimits } from './calc-request.js';
import { computeHeavyWork } from './heavy-work.js';
import type { JobRegistry } from './jobs/job-registry.js';
import {
  type HeavyWorkInput,
  INITIAL_STATE,
  type RequestMachine,
  type RequestOutcome,
  requestMachine,
} from './request-machine.js';
import { type TransitionWatcher, transitionInspector } from './request-transitions.js';

/**
 * The request machine with its heavy-work actor bound to a registry: it holds the jobs of the
 * request's heavy n while it waits for them (heavy-work.ts), and lets them go however it ends
 * (answered, failed, or stopped, which aborts its signal).
 */
export function provideRequestMachine(registry: JobRegistry): RequestMachine {
  return requestMachine.provide({
    actors: {
      heavyWork: fromPromise<readonly number[], HeavyWorkInput>(({ input, signal }) =>
        computeHeavyWork(registry, input, signal),
      ),
    },
  });
}

function unwrap(outcome: RequestOutcome | undefined): CalcReply {
  if (outcome === undefined) throw new Error('request actor ended without output');
  if (outcome.ok) return outcome.reply;
  throw outcome.error;
}

/** Options of the actor answerer. */
export interface ActorAnswererOptions {
  /** Told every transition of every request actor (debug log, per-state times); none: no inspector. */
  readonly watchers?: readonly TransitionWatcher[];
}

/**
 * Answers each call with its own request actor: a cheap call ends inside start() and is
 * answered synchronously; heavy work is awaited, and the call's signal aborts it.
 */
export function createActorAnswerer(
  machine: RequestMachine,
  limits: RequestLimits,
  options: ActorAnswererOptions = {},
): Answerer {
  const watchers = options.watchers ?? [];
  return (request, context) => {
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
    const input = { request, limits, onProgress: context.onProgress, client: context.client };
    const actor = createActor(machine, { input, ...(inspect && { inspect }) });
    actor.start();
    const snapshot = actor.getSnapshot();
    if (snapshot.status === 'done') return unwrap(snapshot.output);
    if (snapshot.status === 'error') throw snapshot.error;
    return new Promise<CalcReply>((resolve, reject) => {
      const onAbort = (): void => actor.send({ type: 'ABORT', reason: context.signal.reason });
      context.signal.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => context.signal.removeEventListener('abort', onAbort);
      actor.subscribe({
        complete: () => {
          settle();
          try {
            resolve(unwrap(actor.getSnapshot().output));
          } catch (error) {
            reject(error);
          }
        },
        error: (error) => {
          settle();
          reject(error);
        },
      });
      if (context.signal.aborted) onAbort();
    });
  };
}
