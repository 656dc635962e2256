// Metrics for the two processes and the API's event log, assembled from their configs so
// main.ts only starts and closes them.
import type { Queue, Worker } from 'bullmq';
import type { Registry } from 'prom-client';
import type { Config } from './config.js';
import { EventLog } from './events/event-log.js';
import type { EventLogConfig } from './events/event-log-config.js';
import type { Logger } from './logger.js';
import { EventLogMetrics } from './metrics/event-log-metrics.js';
import { JobMetrics } from './metrics/job-metrics.js';
import type { MetricsConfig } from './metrics/metrics-config.js';
import { createMetricsRegistry } from './metrics/metrics-registry.js';
import { createMetricsServer, type MetricsServer } from './metrics/metrics-server.js';
import { registerQueueDepth } from './metrics/queue-depth.js';
import { RequestMetrics } from './metrics/request-metrics.js';

/** A process's metrics endpoint and what else it must close. */
export interface Telemetry {
  readonly registry: Registry;
  /** Serves /metrics when METRICS_PORT is set; resolves the bound port, or undefined. */
  start(): Promise<number | undefined>;
  /** Closes the endpoint and, for the API, flushes the event log. Safe to call twice. */
  close(): Promise<void>;
}

/** The API's telemetry, for the answerer to record its calls in. */
export interface ApiTelemetry extends Telemetry {
  /** Request metrics, when METRICS_PORT is set (unscraped metrics would only slow calls). */
  readonly requestMetrics: RequestMetrics | undefined;
  /** The event log, when EVENT_LOG is on and REDIS_URL set. */
  readonly eventLog: EventLog | undefined;
}

/** What the API's telemetry is built from. */
export interface ApiTelemetryDeps {
  readonly config: Pick<Config, 'redisUrl'>;
  readonly metrics: MetricsConfig;
  readonly events: EventLogConfig;
  readonly logger: Logger;
  /** Queues whose depth is exported (the BullMQ runner's queue; none when embedded). */
  readonly queues: readonly Queue[];
}

function metricsEndpoint(
  registry: Registry,
  config: MetricsConfig,
  logger: Logger,
): Pick<Telemetry, 'start'> & { close(): Promise<void> } {
  let server: MetricsServer | undefined;
  return {
    start: async () => {
      if (config.port === undefined) return undefined;
      server = createMetricsServer(registry, logger);
      const port = await server.listen(config.port, config.host);
      logger.info({ port, host: config.host }, 'metrics listening');
      return port;
    },
    close: async () => {
      await server?.close();
    },
  };
}

async function runAll(steps: readonly (() => Promise<void>)[], logger: Logger): Promise<void> {
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      logger.warn({ err: error }, 'error while closing telemetry');
    }
  }
}

/** Request metrics, queue depth and the event log of the API. */
export function createApiTelemetry(deps: ApiTelemetryDeps): ApiTelemetry {
  const { config, metrics, events, logger, queues } = deps;
  const registry = createMetricsRegistry();
  // Request metrics nobody can scrape would only slow every request (the per-state timer
  // inspects each actor), so they are collected only when METRICS_PORT is set.
  const requestMetrics = metrics.port === undefined ? undefined : new RequestMetrics(registry);
  const eventLogMetrics = new EventLogMetrics(registry);
  registerQueueDepth(registry, queues, logger);
  const eventLog =
    events.enabled && config.redisUrl !== undefined
      ? new EventLog(
          {
            redisUrl: config.redisUrl,
            stream: events.stream,
            maxLength: events.maxLength,
            maxPending: events.maxPending,
            timeoutMs: events.timeoutMs,
          },
          logger,
          eventLogMetrics,
        )
      : undefined;
  const endpoint = metricsEndpoint(registry, metrics, logger);
  let closing: Promise<void> | undefined;
  return {
    registry,
    requestMetrics,
    eventLog,
    start: endpoint.start,
    close: () => {
      closing ??= runAll([endpoint.close, async () => eventLog?.close()], logger);
      return closing;
    },
  };
}

/** Job metrics of a worker process. */
export function createWorkerTelemetry(deps: {
  readonly metrics: MetricsConfig;
  readonly logger: Logger;
  readonly worker: Worker;
}): Telemetry {
  const registry = createMetricsRegistry();
  const stopWatching = new JobMetrics(registry).watch(deps.worker);
  const endpoint = metricsEndpoint(registry, deps.metrics, deps.logger);
  let closing: Promise<void> | undefined;
  return {
    registry,
    start: endpoint.start,
    close: () => {
      closing ??= runAll([async () => stopWatching(), endpoint.close], deps.logger);
      return closing;
    },
  };
}
