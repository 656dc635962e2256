import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Environment } from '../config/env-reader.js';
import { configOrExit } from '../config/exit-on-config-error.js';
import { createLogger, type Logger } from '../logger.js';
import { exitOnShutdownSignals } from '../process/shutdown-signals.js';
import { closeConnection, createProducerConnection } from '../redis/redis-connections.js';
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
  const config = configOrExit(parseDashboardConfig, env, 'twelvefa-dashboard');
  const logger = createLogger(config, { name: 'twelvefa-dashboard' });
  const connection = createProducerConnection(config.redis, `${config.queuePrefix}:dashboard`);
  connection.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  const queue = new Queue(config.queueName, { connection, prefix: config.queuePrefix });
  queue.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  const credentials =
    config.generatedPasswordUser === undefined
      ? config.credentials
      : {
          user: config.generatedPasswordUser,
          password: await generatedPassword(
            await untilReady(connection, logger),
            generatedPasswordKey(config.queuePrefix),
            config.generatedPasswordUser,
            logger,
          ),
        };
  const server = createDashboardServer({
    config: { ...config, credentials },
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
