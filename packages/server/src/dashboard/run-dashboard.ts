import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type Environment, parseConfig } from '../config.js';
import { configOrExit } from '../exit-on-config-error.js';
import { createLogger, type Logger } from '../logger.js';
import { closeConnection, createProducerConnection } from '../redis-connections.js';
import { exitOnShutdownSignals } from '../shutdown-signals.js';
import { parseDashboardConfig } from './dashboard-config.js';
import { createDashboardServer } from './dashboard-server.js';
import { generatedPassword, generatedPasswordKey } from './generated-password.js';

/** The connection, once Redis answers (its commands fail at once while it does not). */
async function untilReady(connection: Redis, logger: Logger): Promise<Redis> {
  if (connection.status !== 'ready') {
    logger.info('waiting for Redis to read the dashboard password');
    await new Promise((resolve) => connection.once('ready', resolve));
  }
  return connection;
}

/** The `twelvefa-dashboard` process: bull-board over the service's queue at REDIS_URL. */
export async function runDashboard(env: Environment): Promise<void> {
  const config = configOrExit(parseConfig, env, 'twelvefa-dashboard');
  const dashboard = configOrExit(parseDashboardConfig, env, 'twelvefa-dashboard');
  if (config.redisUrl === undefined) {
    process.stderr.write(
      'twelvefa-dashboard: REDIS_URL is required (a redis:// or rediss:// URL)\n',
    );
    process.exit(2);
  }
  const logger = createLogger(config, { name: 'twelvefa-dashboard' });
  const connection = createProducerConnection(
    { url: config.redisUrl, tlsCaFile: config.redisTlsCaFile },
    `${config.queuePrefix}:dashboard`,
  );
  connection.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  const queue = new Queue(config.queueName, { connection, prefix: config.queuePrefix });
  queue.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  const credentials =
    dashboard.generatedPasswordUser === undefined
      ? dashboard.credentials
      : {
          user: dashboard.generatedPasswordUser,
          password: await generatedPassword(
            await untilReady(connection, logger),
            generatedPasswordKey(config.queuePrefix),
            dashboard.generatedPasswordUser,
            logger,
          ),
        };
  const server = createDashboardServer({
    config: { ...dashboard, credentials },
    queues: [queue],
    logger,
    logins: { connection, keyPrefix: `${config.queuePrefix}:dashboard:login` },
  });
  exitOnShutdownSignals(async () => {
    await server.close();
    await queue.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the queue'));
    await closeConnection(connection);
  }, logger);
  await server.listen();
}
