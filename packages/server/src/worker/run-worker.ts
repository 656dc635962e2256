// The `twelvefa-worker` process: wires the environment to a BullMQ worker. It loads none of
// the API's code: what both sides know of a job is its contract (jobs/prime-job.ts, the
// data and results it carries) and the calc core that computes it.
import type { Environment } from '../config/env-reader.js';
import { configOrExit } from '../config/exit-on-config-error.js';
import { parseWorkerConfig } from '../config/worker-config.js';
import { PrimeWorker } from '../jobs/prime-worker.js';
import { createLogger } from '../logger.js';
import { parseMetricsConfig } from '../metrics/metrics-config.js';
import { exitOnShutdownSignals } from '../process/shutdown-signals.js';
import { createWorkerTelemetry } from './worker-telemetry.js';

/** The `twelvefa-worker` process: consumes nth-prime jobs from REDIS_URL. */
export async function runWorker(env: Environment): Promise<void> {
  const config = configOrExit(parseWorkerConfig, env, 'twelvefa-worker');
  const metrics = configOrExit(parseMetricsConfig, env, 'twelvefa-worker');
  const logger = createLogger(config, { name: 'twelvefa-worker' });
  const worker = new PrimeWorker(config, logger);
  const telemetry = createWorkerTelemetry({
    metrics,
    logger,
    worker: worker.worker,
    warmUpSeconds: () => worker.warmUpSeconds,
  });
  exitOnShutdownSignals(async () => {
    await worker.close(config.shutdownGraceMs);
    await telemetry.close();
  }, logger);
  await telemetry.start(() => worker.ready);
  await worker.start();
}
