// The API's metrics and its event log, assembled from their configs so run-api.ts only starts
// and closes them.
import type { ApiConfig } from '../config/api-config.js';
import { EventLog } from '../events/event-log.js';
import type { EventLogConfig } from '../events/event-log-config.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { Logger } from '../logger.js';
import { EventLogMetrics } from '../metrics/event-log-metrics.js';
import type { MetricsConfig } from '../metrics/metrics-config.js';
import { RequestMetrics } from '../metrics/request-metrics.js';
import { createTelemetry, type Telemetry } from '../metrics/telemetry.js';

/** The API's telemetry, for the answerer to record its calls in. */
export interface ApiTelemetry extends Telemetry {
  /** Request metrics, when METRICS_PORT is set (unscraped metrics would only slow calls). */
  readonly requestMetrics: RequestMetrics | undefined;
  /** The event log, when EVENT_LOG is on and REDIS_URL set; close() flushes it. */
  readonly eventLog: EventLog | undefined;
}

/** What the API's telemetry is built from. */
export interface ApiTelemetryDeps {
  readonly config: Pick<ApiConfig, 'redis'>;
  readonly metrics: MetricsConfig;
  readonly events: EventLogConfig;
  readonly logger: Logger;
  /** The runner, which registers its own metrics (its queue's depth, or its threads' warm-up). */
  readonly runner: Pick<JobRunner, 'registerMetrics'>;
}

/** Request metrics, the runner's metrics and the event log of the API. */
export function createApiTelemetry(deps: ApiTelemetryDeps): ApiTelemetry {
  const { config, metrics, events, logger, runner } = deps;
  let requestMetrics: RequestMetrics | undefined;
  let eventLog: EventLog | undefined;
  const telemetry = createTelemetry(metrics, logger, (registry) => {
    // Request metrics nobody can scrape would only slow every request (the per-state timer
    // watches each actor), so they are collected only when METRICS_PORT is set.
    if (metrics.port !== undefined) requestMetrics = new RequestMetrics(registry);
    const eventLogMetrics = new EventLogMetrics(registry);
    runner.registerMetrics(registry, logger);
    if (events.enabled && config.redis !== undefined) {
      const { stream, maxLength, maxPending, timeoutMs } = events;
      const options = { redis: config.redis, stream, maxLength, maxPending, timeoutMs };
      eventLog = new EventLog(options, logger, eventLogMetrics);
    }
    return [async () => eventLog?.close()];
  });
  return { ...telemetry, requestMetrics, eventLog };
}
