// A server for the benchmark, in its own process so the load generator does
// not share its event loop: `node bench-server.js actor|plain`.
import { parseConfig } from '../config.js';
import { createJobRunner } from '../jobs/create-job-runner.js';
import { createLogger } from '../logger.js';
import { createServer } from '../server.js';
import { createPlainAnswerer } from './plain-answerer.js';

const variant = process.argv[2] === 'plain' ? 'plain' : 'actor';
const config = parseConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json' });
const logger = createLogger(config, { name: `bench-${variant}` });
const server = createServer({
  config,
  logger,
  runner: createJobRunner(config, logger),
  ...(variant === 'plain' && {
    createAnswerer: (registry, limits) => createPlainAnswerer(registry, limits),
  }),
});
const port = await server.start();
process.send?.({ port });
process.on('message', () => {
  server.close().then(() => process.exit(0));
});
