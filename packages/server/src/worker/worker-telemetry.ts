import type { Worker } from 'bullmq';
import type { Logger } from '../logger.js';
import { JobMetrics } from '../metrics/job-metrics.js';
import type { MetricsConfig } from '../metrics/metrics-config.js';
import { createTelemetry, type Telemetry } from '../metrics/telemetry.js';
import { registerWarmUpMetrics } from '../metrics/warm-up-metrics.js';

/** Job metrics of a worker process. */
export function createWorkerTelemetry(deps: {
  readonly metrics: MetricsConfig;
  readonly logger: Logger;
  readonly worker: Worker;
  /** Seconds the compute threads took to warm up; undefined while they warm. */
  readonly warmUpSeconds: () => number | undefined;
}): Telemetry {
  return createTelemetry(deps.metrics, deps.logger, (registry) => {
    registerWarmUpMetrics(registry, deps.warmUpSeconds);
    return [new JobMetrics(registry).watch(deps.worker)];
  });
}
