// A server for the benchmark, in its own process so the load generator does not share its event
// loop: `tsx bench-server.ts actor|plain|empty-actor`. Every variant is put together like the
// service (request/calc-answerer.ts): its answerer inside the request log line.

import { tuneHeapForShortLivedActors } from '../src/api/heap-tuning.js';
import { parseApiConfig } from '../src/config/api-config.js';
import { createServer } from '../src/grpc/grpc-server.js';
import { createJobRunner } from '../src/jobs/create-job-runner.js';
import { JobRegistry } from '../src/jobs/job-registry.js';
import { createLogger } from '../src/logger.js';
import { observing, wrapAnswerer } from '../src/request/answerer.js';
import { createCalcAnswerer } from '../src/request/calc-answerer.js';
import { requestLimits } from '../src/request/request-checks.js';
import { requestLog } from '../src/request/request-log.js';
import { createEmptyActorAnswerer, createPlainAnswerer } from './plain-answerer.js';

const variant = process.argv[2] ?? 'actor';
// The same V8 tuning as the twelvefa process, for every variant.
tuneHeapForShortLivedActors();
const config = parseApiConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json' });
const logger = createLogger(config, { name: `bench-${variant}` });
const runner = createJobRunner(config, logger);
const registry = new JobRegistry(runner, {
  maxInFlight: config.maxInFlight,
  cacheSize: config.resultCacheSize,
});
const limits = requestLimits(config);
const logged = [observing(requestLog(logger), () => undefined)];
const answer =
  variant === 'plain'
    ? wrapAnswerer(createPlainAnswerer(registry, limits), logged)
    : variant === 'empty-actor'
      ? wrapAnswerer(createEmptyActorAnswerer(registry, limits), logged)
      : createCalcAnswerer({ registry, limits, logger });
const server = createServer({ config, logger, runner, answer });
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
