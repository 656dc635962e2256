// A server for the benchmark, in its own process so the load generator does
// not share its event loop: `node bench-server.js actor|plain|empty-actor`.
import { parseConfig } from '../config.js';
import { tuneHeapForShortLivedActors } from '../heap-tuning.js';
import { createJobRunner } from '../jobs/create-job-runner.js';
import { createLogger } from '../logger.js';
import { createServer } from '../server.js';
import { createEmptyActorAnswerer, createPlainAnswerer } from './plain-answerer.js';

const variant = process.argv[2] ?? 'actor';
// The same V8 tuning as the twelvefa process, for every variant.
tuneHeapForShortLivedActors();
const config = parseConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json' });
const logger = createLogger(config, { name: `bench-${variant}` });
const server = createServer({
  config,
  logger,
  runner: createJobRunner(config, logger),
  ...(variant === 'plain' && {
    createAnswerer: (registry, limits) => createPlainAnswerer(registry, limits),
  }),
  ...(variant === 'empty-actor' && {
    createAnswerer: (registry, limits) => createEmptyActorAnswerer(registry, limits),
  }),
});
const port = await server.start();
process.send?.({ port });
// 'cpu' asks for the CPU time used so far (to report CPU per request); anything else stops.
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
    return;
  }
  server.close().then(() => process.exit(0));
});
