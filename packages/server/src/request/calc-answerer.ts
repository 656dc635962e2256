// The one place a call's answerer is put together.
import { authenticating, type TokenVerifier } from '../access/authenticating.js';
import { clientMetricLabel } from '../access/client-identity.js';
import { type RateLimitingDeps, rateLimiting } from '../access/rate-limiting.js';
import type { EventLog } from '../events/event-log.js';
import { eventRecorder } from '../events/event-recorder.js';
import type { Logger } from '../logger.js';
import type { RequestMetrics } from '../metrics/request-metrics.js';
import { createActorAnswerer } from './actor-answerer.js';
import {
  type Answerer,
  type AnswererWrapper,
  type AnswerObserver,
  observing,
  wrapAnswerer,
} from './answerer.js';
import type { HeavyWorkSource } from './heavy-work.js';
import type { RequestLimits } from './request-checks.js';
import { logTransitions, requestLog } from './request-log.js';

/** What the service's answerer is made of. */
export interface CalcAnswererDeps {
  /** Where heavy work is asked for: the job registry. */
  readonly registry: HeavyWorkSource;
  readonly limits: RequestLimits;
  readonly logger: Logger;
  /** Request metrics, when someone can scrape them (METRICS_PORT). */
  readonly metrics?: RequestMetrics;
  /** The event log, when it is on (EVENT_LOG with REDIS_URL). */
  readonly eventLog?: Pick<EventLog, 'append'>;
  /** Checks bearer tokens, when authentication is on (AUTH_KEYS_FILE, AUTH_JWKS_URL). */
  readonly verify?: TokenVerifier;
  /** The rate limit, when it is on (RATE_LIMIT_CPU_SECONDS); its metric is added here. */
  readonly rateLimit?: Omit<RateLimitingDeps, 'onLimited'>;
}

/**
 * The one place a call's answerer is put together, outermost first: the request metrics (they
 * count every call, refused or not), authentication (it logs its own refusals), the request
 * log line and the event log (both name the authenticated client), the rate limit, and a
 * request actor per call. Each part only when it is on: an absent one costs a call nothing.
 */
export function createCalcAnswerer(deps: CalcAnswererDeps): Answerer {
  const { registry, limits, logger, metrics, eventLog, verify, rateLimit } = deps;
  const watchers = [
    ...(logger.isLevelEnabled('debug') ? [logTransitions(logger)] : []),
    ...(metrics === undefined ? [] : [metrics.stateWatcher]),
  ];
  const actors = createActorAnswerer({ heavyWork: registry, limits, watchers });
  const report = (error: unknown): void => logger.error({ err: error }, 'request observer failed');
  const observe = (observer: AnswerObserver<unknown>): AnswererWrapper =>
    observing(observer, report);
  const wrappers: AnswererWrapper[] = [
    ...(metrics === undefined ? [] : [observe(metrics.observer)]),
    ...(verify === undefined
      ? []
      : [authenticating(verify, logger, (reason) => metrics?.refused.inc({ reason }))]),
    observe(requestLog(logger)),
    ...(eventLog === undefined ? [] : [observe(eventRecorder(eventLog))]),
    ...(rateLimit === undefined
      ? []
      : [
          rateLimiting({
            ...rateLimit,
            onLimited: (client) => metrics?.rateLimited.inc({ client: clientMetricLabel(client) }),
          }),
        ]),
  ];
  return wrapAnswerer(actors, wrappers);
}
