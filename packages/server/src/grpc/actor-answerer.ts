import { createActor, fromPromise, type InspectionEvent } from 'xstate';
import type { RequestLimits } from '../calc-request.js';
import type { JobLease, JobRegistry } from '../jobs/job-registry.js';
import type { Logger } from '../logger.js';
import {
  type DispatchJobsInput,
  INITIAL_STATE,
  type RequestMachine,
  requestMachine,
} from '../request-machine.js';
import type { RequestObserver } from '../request-observer.js';
import { createStateTimer } from '../request-state-timer.js';
import type { Answerer } from './unary-call.js';

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The request machine with its job actor bound to a registry. */
export function provideRequestMachine(registry: JobRegistry): RequestMachine {
  return requestMachine.provide({
    actors: {
      dispatchJobs: fromPromise<readonly JobLease[], DispatchJobsInput>(
        async ({ input, signal }) => {
          const leases: JobLease[] = [];
          const releaseAll = (): void => {
            for (const lease of leases) lease.release();
          };
          try {
            leases.push(...registry.acquire(input.ns));
            await abortable(Promise.all(leases.map((lease) => lease.dispatched)), signal);
          } catch (error) {
            releaseAll();
            throw error;
          }
          // Stopped while the last job was being accepted: nobody will release these.
          if (signal.aborted) {
            releaseAll();
            throw signal.reason;
          }
          return leases;
        },
      ),
    },
  });
}

/**
 * Answers each call with its own request actor; transitions are logged at
 * debug level, and the time spent in each state is reported to `observer`.
 */
export function createActorAnswerer(
  machine: RequestMachine,
  limits: RequestLimits,
  logger: Logger,
  observer?: RequestObserver,
): Answerer {
  return (request, context, done) => {
    const debug = logger.isLevelEnabled('debug');
    const timeState =
      observer?.requestStateLeft === undefined
        ? undefined
        : createStateTimer(
            (state, durationMs) =>
              observer.requestStateLeft?.(
                { requestId: context.requestId, request },
                state,
                durationMs,
              ),
            INITIAL_STATE,
          );
    // Entering the initial state happens while the actor is created and is not a microstep.
    if (debug) {
      logger.debug(
        {
          requestId: context.requestId,
          method: context.method,
          event: 'xstate.init',
          state: INITIAL_STATE,
        },
        'request transition',
      );
    }
    const actor = createActor(machine, {
      input: { requestId: context.requestId, request, limits, deadline: context.deadline },
      // Microsteps include the transient states (answeringInline, failing) a snapshot never shows.
      ...((debug || timeState !== undefined) && {
        inspect: (inspection: InspectionEvent) => {
          timeState?.(inspection);
          if (!debug || inspection.type !== '@xstate.microstep') return;
          // Only the request actor itself, not the job actors it invokes.
          if (inspection.actorRef.sessionId !== inspection.rootId) return;
          logger.debug(
            {
              requestId: context.requestId,
              method: context.method,
              event: inspection.event.type,
              state: (inspection.snapshot as { value?: unknown }).value,
            },
            'request transition',
          );
        },
      }),
    });
    const finish = (): void => {
      const output = actor.getSnapshot().output;
      done(output ?? { ok: false, error: new Error('request actor ended without output') });
    };
    actor.start();
    // Cheap calls end inside start(): no observer needed for them.
    const snapshot = actor.getSnapshot();
    if (snapshot.status === 'done') finish();
    else if (snapshot.status === 'error') done({ ok: false, error: snapshot.error });
    else actor.subscribe({ complete: finish, error: (error) => done({ ok: false, error }) });
    return { interrupt: (reason) => actor.send({ type: reason }) };
  };
}
