// The `twelvefa` process: wires the environment to the API. Parses its config, composes the
// runner, the answerer and the server, and installs the signal handlers that stop it.
import { createApiAccess } from '../access/api-access.js';
import { parseApiConfig } from '../config/api-config.js';
import type { Environment } from '../config/env-reader.js';
import { configOrExit } from '../config/exit-on-config-error.js';
import { parseEventLogConfig } from '../events/event-log-config.js';
import { createServer } from '../grpc/grpc-server.js';
import { warmUpPlanner } from '../jobs/batch-plan.js';
import { createJobRunner } from '../jobs/create-job-runner.js';
import { JobRegistry } from '../jobs/job-registry.js';
import { createLogger } from '../logger.js';
import { parseMetricsConfig } from '../metrics/metrics-config.js';
import { exitOnShutdownSignals } from '../process/shutdown-signals.js';
import { createCalcAnswerer } from '../request/calc-answerer.js';
import { requestLimits } from '../request/request-checks.js';
import { createApiTelemetry } from './api-telemetry.js';
import { tuneHeapForShortLivedActors } from './heap-tuning.js';

/** The `twelvefa` API process. */
export async function runApi(env: Environment): Promise<void> {
  tuneHeapForShortLivedActors();
  const config = configOrExit(parseApiConfig, env, 'twelvefa');
  const metrics = configOrExit(parseMetricsConfig, env, 'twelvefa');
  const events = configOrExit(parseEventLogConfig, env, 'twelvefa');
  const logger = createLogger(config, { name: 'twelvefa' });
  const limits = requestLimits(config);
  // Before the runner: a bad keys file stops the start with nothing else opened.
  const access = configOrExit(() => createApiAccess(config, limits, logger), env, 'twelvefa');
  const runner = createJobRunner(config, logger);
  // Every heavy call plans on this thread first: compiled before the first one, not on its time.
  warmUpPlanner();
  const telemetry = createApiTelemetry({
    config,
    metrics,
    events,
    logger,
    runner,
  });
  const registry = new JobRegistry(runner, {
    maxInFlight: config.maxInFlight,
    cacheSize: config.resultCacheSize,
  });
  const answer = createCalcAnswerer({
    registry,
    limits,
    logger,
    ...(telemetry.requestMetrics && { metrics: telemetry.requestMetrics }),
    ...(telemetry.eventLog && { eventLog: telemetry.eventLog }),
    ...(access.verify && { verify: access.verify }),
    ...(access.rateLimit && { rateLimit: access.rateLimit }),
  });
  const server = createServer({
    config,
    logger,
    runner,
    answer,
    onMalformedRequest: (method) => telemetry.requestMetrics?.countMalformed(method),
  });
  // Calls finish first, so their outcome events are written before the log closes.
  exitOnShutdownSignals(async () => {
    await server.close();
    await telemetry.close();
    await access.close();
  }, logger);
  await telemetry.start(() => server.health.ready);
  await access.ready();
  const port = await server.start();
  logger.info({ port, host: config.host, runner: runner.kind }, 'listening');
}
