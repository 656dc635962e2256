// Wires the environment to the API and worker processes: parses their config, builds them, and
// installs the signal handlers that stop them (the dashboard and event-log bins do their own).

import { createCalcAnswerer } from './calc-answerer.js';
import { requestLimits } from './calc-request.js';
import { type Environment, parseConfig } from './config.js';
import { parseEventLogConfig } from './events/event-log-config.js';
import { configOrExit } from './exit-on-config-error.js';
import { tuneHeapForShortLivedActors } from './heap-tuning.js';
import { BullmqJobRunner } from './jobs/bullmq-job-runner.js';
import { createJobRunner } from './jobs/create-job-runner.js';
import { JobRegistry } from './jobs/job-registry.js';
import { NthPrimeWorker } from './jobs/nth-prime-worker.js';
import { createLogger } from './logger.js';
import { parseMetricsConfig } from './metrics/metrics-config.js';
import { createServer } from './server.js';
import { exitOnShutdownSignals } from './shutdown-signals.js';
import { createApiTelemetry, createWorkerTelemetry } from './telemetry.js';

/** The `twelvefa` API process. */
export async function runApi(env: Environment): Promise<void> {
  tuneHeapForShortLivedActors();
  const config = configOrExit(parseConfig, env, 'twelvefa');
  const metrics = configOrExit(parseMetricsConfig, env, 'twelvefa');
  const events = configOrExit(parseEventLogConfig, env, 'twelvefa');
  const logger = createLogger(config, { name: 'twelvefa' });
  const runner = createJobRunner(config, logger);
  const telemetry = createApiTelemetry({
    config,
    metrics,
    events,
    logger,
    queues: runner instanceof BullmqJobRunner ? [runner.queue] : [],
  });
  const registry = new JobRegistry(runner, {
    maxInFlight: config.maxInFlight,
    cacheSize: config.resultCacheSize,
  });
  const answer = createCalcAnswerer({
    registry,
    limits: requestLimits(config),
    logger,
    ...(telemetry.requestMetrics && { metrics: telemetry.requestMetrics }),
    ...(telemetry.eventLog && { eventLog: telemetry.eventLog }),
  });
  const server = createServer({ config, logger, runner, answer });
  // Calls finish first, so their outcome events are written before the log closes.
  exitOnShutdownSignals(async () => {
    await server.close();
    await telemetry.close();
  }, logger);
  await telemetry.start();
  const port = await server.start();
  logger.info({ port, host: config.host, runner: runner.kind }, 'listening');
}

/** The `twelvefa-worker` process: consumes nth-prime jobs from REDIS_URL. */
export async function runWorker(env: Environment): Promise<void> {
  const config = configOrExit(parseConfig, env, 'twelvefa-worker');
  const metrics = configOrExit(parseMetricsConfig, env, 'twelvefa-worker');
  if (config.redisUrl === undefined) {
    process.stderr.write('twelvefa-worker: REDIS_URL is required (a redis:// or rediss:// URL)\n');
    process.exit(2);
  }
  const logger = createLogger(config, { name: 'twelvefa-worker' });
  const worker = new NthPrimeWorker({ ...config, redisUrl: config.redisUrl }, logger);
  const telemetry = createWorkerTelemetry({ metrics, logger, worker: worker.worker });
  exitOnShutdownSignals(async () => {
    await worker.close(config.shutdownGraceMs);
    await telemetry.close();
  }, logger);
  await telemetry.start();
  await worker.start();
}
