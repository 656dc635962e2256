import { createActorAnswerer, provideRequestMachine } from './actor-answerer.js';
import { type Answerer, type AnswerObserver, observing, wrapAnswerer } from './answerer.js';
import type { RequestLimits } from './calc-request.js';
import type { EventLog } from './events/event-log.js';
import { eventRecorder } from './events/event-recorder.js';
import type { JobRegistry } from './jobs/job-registry.js';
import type { Logger } from './logger.js';
import type { RequestMetrics } from './metrics/request-metrics.js';
import { logTransitions, requestLog } from './request-log.js';

/** What the service's answerer is made of. */
export interface CalcAnswererDeps {
  readonly registry: JobRegistry;
  readonly limits: RequestLimits;
  readonly logger: Logger;
  /** Request metrics, when someone can scrape them (METRICS_PORT). */
  readonly metrics?: RequestMetrics;
  /** The event log, when it is on (EVENT_LOG with REDIS_URL). */
  readonly eventLog?: Pick<EventLog, 'append'>;
}

/**
 * The one place a call's answerer is put together: a request actor per call, inside the
 * event log, the request metrics and the request log line, the log outermost so it sees what
 * the client gets. Each part only when it is on: an absent one costs a call nothing.
 */
export function createCalcAnswerer(deps: CalcAnswererDeps): Answerer {
  const { registry, limits, logger, metrics, eventLog } = deps;
  const watchers = [
    ...(logger.isLevelEnabled('debug') ? [logTransitions(logger)] : []),
    ...(metrics === undefined ? [] : [metrics.stateWatcher]),
  ];
  const actors = createActorAnswerer(provideRequestMachine(registry), limits, { watchers });
  const observers: AnswerObserver<unknown>[] = [
    requestLog(logger),
    ...(metrics === undefined ? [] : [metrics.observer]),
    ...(eventLog === undefined ? [] : [eventRecorder(eventLog)]),
  ];
  const report = (error: unknown): void => logger.error({ err: error }, 'request observer failed');
  return wrapAnswerer(
    actors,
    observers.map((observer) => observing(observer, report)),
  );
}
