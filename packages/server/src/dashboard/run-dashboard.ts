import { Queue } from 'bullmq';
import { type Environment, parseConfig } from '../config.js';
import { configOrExit } from '../exit-on-config-error.js';
import { createLogger } from '../logger.js';
import { closeConnection, createProducerConnection } from '../redis-connections.js';
import { exitOnShutdownSignals } from '../shutdown-signals.js';
import { parseDashboardConfig } from './dashboard-config.js';
import { createDashboardServer } from './dashboard-server.js';

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
  const connection = createProducerConnection(config.redisUrl, `${config.queuePrefix}:dashboard`);
  connection.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  const queue = new Queue(config.queueName, { connection, prefix: config.queuePrefix });
  queue.on('error', (error: Error) => logger.warn({ err: error }, 'redis error'));
  const server = createDashboardServer({ config: dashboard, queues: [queue], logger });
  exitOnShutdownSignals(async () => {
    await server.close();
    await queue.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the queue'));
    await closeConnection(connection);
  }, logger);
  await server.listen();
}
