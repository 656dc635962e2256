import { type ManagedProcess, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { pino } from 'pino';
import { type ApiConfig, parseApiConfig } from '../../src/config/api-config.js';
import { createServer, type TwelvefaServer } from '../../src/grpc/grpc-server.js';
import { createJobRunner } from '../../src/jobs/create-job-runner.js';
import { JobRegistry } from '../../src/jobs/job-registry.js';
import { createCalcAnswerer } from '../../src/request/calc-answerer.js';
import { requestLimits } from '../../src/request/request-checks.js';
import { TestCalcClient } from './calc-client.js';
import { freshQueueName, startWorker } from './queue-fixture.js';
import { waitUntil } from './wait-until.js';

/** Log lines a test server wrote, parsed. */
export type CapturedLine = Record<string, unknown>;

/** An in-process server on a free loopback port, its client, and its log lines. */
export interface TestServer {
  readonly server: TwelvefaServer;
  /** The server's shared heavy computations (stats, its runner). */
  readonly registry: JobRegistry;
  readonly client: TestCalcClient;
  readonly port: number;
  readonly config: ApiConfig;
  readonly lines: CapturedLine[];
  close(): Promise<void>;
}

/**
 * Starts the service as run-api.ts puts it together, with the runner REDIS_URL selects, on
 * 127.0.0.1 port 0. With the embedded runner it resolves once the server is ready (its threads
 * warmed up), as a load balancer would wait; a Redis runner's readiness is the test's to watch.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const config = parseApiConfig({ HOST: '127.0.0.1', PORT: '0', EMBEDDED_THREADS: '2', ...env });
  const lines: CapturedLine[] = [];
  const logger = pino(
    { level: config.logLevel },
    { write: (line: string) => lines.push(JSON.parse(line) as CapturedLine) },
  );
  const runner = createJobRunner(config, logger);
  const registry = new JobRegistry(runner, {
    maxInFlight: config.maxInFlight,
    cacheSize: config.resultCacheSize,
  });
  const answer = createCalcAnswerer({ registry, limits: requestLimits(config), logger });
  const server = createServer({ config, logger, runner, answer });
  const port = await server.start();
  if (runner.kind === 'embedded') {
    await waitUntil(
      () => server.health.status === 'SERVING',
      'the embedded threads are warm',
      30_000,
    );
  }
  const client = new TestCalcClient(port);
  return {
    server,
    registry,
    client,
    port,
    config,
    lines,
    close: async () => {
      client.close();
      await server.close();
    },
  };
}

/** The per-request log lines. */
export function requestLines(lines: readonly CapturedLine[]): CapturedLine[] {
  return lines.filter((line) => line.msg === 'request');
}

/** A private Redis, two worker processes on a fresh queue, and a test server in front of them. */
export interface QueueStack {
  readonly redis: TestRedis;
  readonly workers: readonly ManagedProcess[];
  readonly t: TestServer;
  close(): Promise<void>;
}

/**
 * Starts a QueueStack (each worker one chunk at a time, as on one core each) and resolves once
 * the server is SERVING: its runner reached Redis and counted the workers.
 */
export async function startQueueStack(
  label: string,
  env: Record<string, string> = {},
): Promise<QueueStack> {
  const redis = await startTestRedis();
  const queueName = freshQueueName(label);
  const workers = await Promise.all([
    startWorker(redis.url, queueName, { WORKER_CONCURRENCY: '1' }),
    startWorker(redis.url, queueName, { WORKER_CONCURRENCY: '1' }),
  ]);
  const t = await startTestServer({
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'twelvefa-test',
    QUEUE_NAME: queueName,
    ...env,
  });
  await waitUntil(() => t.server.health.status === 'SERVING', 'the server is SERVING');
  return {
    redis,
    workers,
    t,
    close: async () => {
      await t.close();
      await Promise.all(workers.map((worker) => worker.stop()));
      await redis.close();
    },
  };
}
