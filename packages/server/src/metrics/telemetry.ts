// What the API's and the worker's telemetry share: a metrics registry served on METRICS_PORT
// when it is set (with the process's HTTP probes), and a close() that runs every step even when
// one fails.
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import type { MetricsConfig } from './metrics-config.js';
import { createMetricsRegistry } from './metrics-registry.js';
import { createMetricsServer, type MetricsServer } from './metrics-server.js';

/** A process's metrics endpoint and what else it must close. */
export interface Telemetry {
  readonly registry: Registry;
  /**
   * Serves /metrics, /livez and /readyz (200 when `ready()`) when METRICS_PORT is set; resolves
   * the bound port, or undefined.
   */
  start(ready: () => boolean): Promise<number | undefined>;
  /** Closes the endpoint and whatever the process's telemetry added. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Telemetry over a fresh registry: `build` registers the process's metrics and returns the
 * steps that stop them, run (in order, after the endpoint) on close.
 */
export function createTelemetry(
  config: MetricsConfig,
  logger: Logger,
  build: (registry: Registry) => readonly (() => Promise<void> | void)[],
): Telemetry {
  const registry = createMetricsRegistry();
  const closeSteps = build(registry);
  let server: MetricsServer | undefined;
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    for (const step of [async () => server?.close(), ...closeSteps]) {
      try {
        await step();
      } catch (error) {
        logger.warn({ err: error }, 'error while closing telemetry');
      }
    }
  };
  return {
    registry,
    start: async (ready) => {
      if (config.port === undefined) return undefined;
      server = createMetricsServer(registry, logger, ready);
      const port = await server.listen(config.port, config.host);
      logger.info({ port, host: config.host }, 'metrics listening');
      return port;
    },
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
