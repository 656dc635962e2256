// The `twelvefa-worker` process: wires the environment to a BullMQ worker. It loads none of
// the API's code: the job contract (jobs/nth-prime-job.ts) is all the two sides share.
import { type Environment, parseConfig } from './config.js';
import { configOrExit } from './exit-on-config-error.js';
import { NthPrimeWorker } from './jobs/nth-prime-worker.js';
import { createLogger } from './logger.js';
import { parseMetricsConfig } from './metrics/metrics-config.js';
import { exitOnShutdownSignals } from './shutdown-signals.js';
import { createWorkerTelemetry } from './worker-telemetry.js';

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
