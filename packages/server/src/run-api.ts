// The `twelvefa` process: wires the environment to the API. Parses its config, composes the
// runner, the answerer and the server, and installs the signal handlers that stop it.
import { ApiKeyStore } from './access/api-key-store.js';
import { bearerVerifier } from './access/bearer-verifier.js';
import { callPriceMs } from './access/call-price.js';
import { createApiTelemetry } from './api-telemetry.js';
import { createCalcAnswerer } from './calc-answerer.js';
import { requestLimits } from './calc-request.js';
import { type Config, type Environment, parseConfig } from './config.js';
import { parseEventLogConfig } from './events/event-log-config.js';
import { configOrExit } from './exit-on-config-error.js';
import { tuneHeapForShortLivedActors } from './heap-tuning.js';
import { BullmqJobRunner } from './jobs/bullmq-job-runner.js';
import { createJobRunner } from './jobs/create-job-runner.js';
import { JobRegistry } from './jobs/job-registry.js';
import { createLogger, type Logger } from './logger.js';
import { parseMetricsConfig } from './metrics/metrics-config.js';
import { closeConnection, createProducerConnection, readyWithin } from './redis-connections.js';
import { createServer } from './server.js';
import { exitOnShutdownSignals } from './shutdown-signals.js';

/** The `twelvefa` API process. */
export async function runApi(env: Environment): Promise<void> {
  tuneHeapForShortLivedActors();
  const config = configOrExit(parseConfig, env, 'twelvefa');
  const metrics = configOrExit(parseMetricsConfig, env, 'twelvefa');
  const events = configOrExit(parseEventLogConfig, env, 'twelvefa');
  const logger = createLogger(config, { name: 'twelvefa' });
  // Before the runner: a bad keys file stops the start with nothing else opened.
  const keys = configOrExit(() => openApiKeys(config, logger), env, 'twelvefa');
  const verify = bearerVerifier(keys, config.jwt);
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
  const limits = requestLimits(config);
  const limiterRedis =
    config.rateLimit && config.redisUrl !== undefined
      ? createProducerConnection(
          { url: config.redisUrl, tlsCaFile: config.redisTlsCaFile },
          `${config.queuePrefix}:rate-limit`,
        )
      : undefined;
  const answer = createCalcAnswerer({
    registry,
    limits,
    logger,
    ...(telemetry.requestMetrics && { metrics: telemetry.requestMetrics }),
    ...(telemetry.eventLog && { eventLog: telemetry.eventLog }),
    ...(verify && { verify }),
    ...(config.rateLimit && {
      rateLimit: {
        config: config.rateLimit,
        priceMs: (request) => callPriceMs(request, limits),
        ...(keys && { allowanceOf: (client: string) => keys.allowanceOf(client) }),
        ...(limiterRedis && {
          redis: { connection: limiterRedis, keyPrefix: `${config.queuePrefix}:rate-limit` },
        }),
      },
    }),
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
    keys?.close();
    if (limiterRedis) await closeConnection(limiterRedis);
  }, logger);
  await telemetry.start(() => server.health.ready);
  // Calls counted before the limiter reaches Redis would get this replica's own allowance.
  if (limiterRedis) await readyWithin(limiterRedis, LIMITER_READY_MS);
  const port = await server.start();
  logger.info({ port, host: config.host, runner: runner.kind }, 'listening');
}

/** How long a start waits for the rate limiter's Redis before serving anyway. */
const LIMITER_READY_MS = 3000;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The API keys of AUTH_KEYS_FILE; without them or JWTs, one warning when strangers could call.
 */
function openApiKeys(config: Config, logger: Logger): ApiKeyStore | undefined {
  if (config.jwt !== undefined) {
    logger.info({ issuer: config.jwt.issuer, jwks: config.jwt.jwksUrl }, 'JWTs accepted');
  }
  if (config.authKeysFile === undefined) {
    if (config.jwt === undefined && !LOOPBACK.has(config.host)) {
      logger.warn(
        { host: config.host },
        'authentication is off and the API listens beyond loopback: anyone who reaches it may call it (set AUTH_KEYS_FILE or AUTH_JWKS_URL)',
      );
    }
    return undefined;
  }
  const keys = new ApiKeyStore(config.authKeysFile, config.authKeysReloadMs, logger);
  logger.info({ path: config.authKeysFile, keys: keys.size }, 'authentication on');
  return keys;
}
