import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { status } from '@grpc/grpc-js';
import { freePort, ManagedProcess, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApiConfig } from '../src/config/api-config.js';
import { createServer } from '../src/grpc/grpc-server.js';
import { planBatch } from '../src/jobs/batch-plan.js';
import { createJobRunner } from '../src/jobs/create-job-runner.js';
import { JobRegistry } from '../src/jobs/job-registry.js';
import { createActorAnswerer } from '../src/request/actor-answerer.js';
import { type AnswerObserver, observing, wrapAnswerer } from '../src/request/answerer.js';
import { requestLimits } from '../src/request/request-checks.js';
import { BIN } from './helpers/bins.js';
import { TestCalcClient } from './helpers/calc-client.js';
import { scrape } from './helpers/prometheus.js';
import { freshQueueName, startWorker } from './helpers/queue-fixture.js';
import { nth } from './helpers/targets.js';
import { waitUntil } from './helpers/wait-until.js';

const INT64_MAX = 9_223_372_036_854_775_807n;
const GRAFANA_DASHBOARD = fileURLToPath(
  new URL('../../../infra/grafana/twelvefa-dashboard.json', import.meta.url),
);

interface GrafanaDashboard {
  readonly uid: string;
  readonly panels: readonly { title: string; targets: readonly { expr: string }[] }[];
}

/**
 * The metric names a PromQL expression reads: what is left once label matchers, grouping
 * clauses, strings and durations are taken out, minus PromQL's own words.
 */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const words = new Set([
    'sum',
    'max',
    'min',
    'avg',
    'rate',
    'irate',
    'increase',
    'histogram_quantile',
    'le',
  ]);
  return [...bare.matchAll(/[a-zA-Z_:][\w:]*/g)]
    .map(([word]) => word)
    .filter((word) => !words.has(word) && /_/.test(word));
}
// A flow for the worker's two threads: two chunk jobs and a combine job (about 0.4 s in all).
const HEAVY_N = 1_000_000_000_000n;
const HEAVY_PRIME = 29_996_224_275_833n;

describe('the Prometheus metrics of a real API and worker', () => {
  const queueName = freshQueueName('metrics');
  let redis: TestRedis;
  let worker: ManagedProcess;
  let api: ManagedProcess;
  let client: TestCalcClient;
  let apiMetricsPort: number;
  let workerMetricsPort: number;

  beforeAll(async () => {
    redis = await startTestRedis();
    workerMetricsPort = await freePort();
    worker = await startWorker(redis.url, queueName, {
      METRICS_PORT: String(workerMetricsPort),
      METRICS_HOST: '127.0.0.1',
      JOB_KEEP_COMPLETED: '100',
    });
    await worker.waitForRecord((line) => line.msg === 'metrics listening');
    apiMetricsPort = await freePort();
    const apiPort = await freePort();
    api = ManagedProcess.node(BIN.api, {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'twelvefa-test',
      QUEUE_NAME: queueName,
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      METRICS_PORT: String(apiMetricsPort),
      METRICS_HOST: '127.0.0.1',
      EVENT_STREAM: `twelvefa-test:events:${queueName}`,
    });
    await api.waitForRecord((line) => line.msg === 'listening');
    await api.waitForRecord((line) => line.msg === 'metrics listening');
    client = new TestCalcClient(apiPort);
  });

  afterAll(async () => {
    client?.close();
    await api?.stop();
    await worker?.stop();
    await redis?.close();
  });

  it('counts every call by method and status code, exactly', async () => {
    const before = await scrape(apiMetricsPort);
    expect(await client.add(2n, 5n)).toEqual({ ok: true, value: 7n });
    expect(await client.add(-2n, 1n)).toEqual({ ok: true, value: -1n });
    expect(await client.add(INT64_MAX, 1n)).toMatchObject({ ok: false, code: status.OUT_OF_RANGE });
    expect(await client.max(2n, 5n)).toEqual({ ok: true, value: 5n });
    expect(await client.nthPrimes([12n])).toEqual({ ok: true, value: [37n] });
    expect(await client.nthPrimes([HEAVY_N])).toEqual({ ok: true, value: [HEAVY_PRIME] });
    expect(await client.nthPrimes([0n])).toMatchObject({
      ok: false,
      code: status.INVALID_ARGUMENT,
    });
    expect((await client.watchNthPrimes([12n])).end).toEqual({ ok: true, value: null });
    const after = await scrape(apiMetricsPort);

    const moved = (name: string, labels: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);
    // The names and labels of go-grpc-prometheus, which the ecosystem's dashboards read.
    const method = (grpc_method: string) => ({
      grpc_type: 'unary',
      grpc_service: 'calc.Calc',
      grpc_method,
    });
    const handled = (grpc_method: string, grpc_code: string) =>
      moved('grpc_server_handled_total', { ...method(grpc_method), grpc_code });
    expect(moved('grpc_server_started_total', method('Add'))).toBe(3);
    expect(handled('Add', 'OK')).toBe(2);
    expect(handled('Add', 'OutOfRange')).toBe(1);
    expect(handled('Max', 'OK')).toBe(1);
    expect(handled('NthPrimes', 'OK')).toBe(2);
    expect(handled('NthPrimes', 'InvalidArgument')).toBe(1);
    expect(moved('grpc_server_msg_received_total', method('NthPrimes'))).toBe(3);
    expect(moved('grpc_server_msg_sent_total', method('NthPrimes'))).toBe(2);
    // WatchNthPrimes is counted as the server stream it is, not as the NthPrimes it answers.
    const stream = { grpc_type: 'server_stream', grpc_service: 'calc.Calc' };
    const watch = { ...stream, grpc_method: 'WatchNthPrimes' };
    expect(moved('grpc_server_started_total', watch)).toBe(1);
    expect(moved('grpc_server_handled_total', { ...watch, grpc_code: 'OK' })).toBe(1);
    expect(moved('grpc_server_started_total', { ...stream, grpc_method: 'NthPrimes' })).toBe(0);

    const durations = 'grpc_server_handling_seconds_count';
    expect(moved(durations, method('Add'))).toBe(3);
    expect(moved(durations, method('NthPrimes'))).toBe(3);
    // The heavy call waited for a worker: its time lands above the smallest buckets.
    const buckets = 'grpc_server_handling_seconds_bucket';
    expect(moved(buckets, { ...method('NthPrimes'), le: '+Inf' })).toBe(3);
    expect(moved(buckets, { ...method('NthPrimes'), le: '0.0005' })).toBeLessThan(3);

    // Nothing in flight: every call started was handled.
    for (const name of ['Add', 'Max', 'NthPrimes']) {
      const handledAll = after
        .samplesOf('grpc_server_handled_total')
        .filter(({ labels }) => labels.grpc_method === name)
        .reduce((sum, { value }) => sum + value, 0);
      expect(after.value('grpc_server_started_total', method(name))).toBe(handledAll);
    }
  });

  it('times each state of the request actor', async () => {
    const before = await scrape(apiMetricsPort);
    await client.add(1n, 2n);
    await client.add(INT64_MAX, 1n);
    await client.nthPrimes([0n]);
    await client.nthPrimes([HEAVY_N + 1n]);
    const after = await scrape(apiMetricsPort);
    const visits = (method: string, state: string) =>
      after.value('twelvefa_request_state_duration_seconds_count', { method, state }) -
      before.value('twelvefa_request_state_duration_seconds_count', { method, state });
    expect(visits('Add', 'validating')).toBe(2);
    expect(visits('Add', 'answeringInline')).toBe(2);
    // n = 0 fails validation: it never reaches answeringInline.
    expect(visits('NthPrimes', 'validating')).toBe(2);
    expect(visits('NthPrimes', 'answeringInline')).toBe(1);
    expect(visits('NthPrimes', 'computing')).toBe(1);
    // Final states (replied, failed) are not timed: nothing happens in them.
    expect(after.has('twelvefa_request_state_duration_seconds_count')).toBe(true);
    expect(
      after.value('twelvefa_request_state_duration_seconds_count', {
        method: 'Add',
        state: 'failed',
      }),
    ).toBe(0);
  });

  it('reports jobs by outcome and duration on the worker, and queue depth on the API', async () => {
    const before = await scrape(workerMetricsPort);
    expect(await client.nthPrimes([HEAVY_N + 2n])).toMatchObject({ ok: true });
    let after = before;
    await waitUntil(async () => {
      after = await scrape(workerMetricsPort);
      const combined = { queue: queueName, kind: 'combine', outcome: 'completed' };
      return (
        after.value('twelvefa_jobs_total', combined) > before.value('twelvefa_jobs_total', combined)
      );
    }, 'the worker counted the combine job');
    const moved = (name: string, labels: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);
    const labels = (kind: string) => ({ queue: queueName, kind, outcome: 'completed' });
    // As the API plans it for one worker (QUEUE_PARALLELISM's floor of 2): split, so that both
    // kinds are counted.
    const plan = await planBatch([nth(HEAVY_N + 2n)], { parallelism: 2, priority: 0 });
    const chunks = plan.works[0]!.chunks.length;
    expect(chunks).toBeGreaterThan(1);
    expect(moved('twelvefa_jobs_total', labels('chunk'))).toBe(chunks);
    expect(moved('twelvefa_jobs_total', labels('combine'))).toBe(1);
    expect(moved('twelvefa_jobs_total', { ...labels('chunk'), outcome: 'failed' })).toBe(0);
    expect(moved('twelvefa_job_duration_seconds_count', labels('chunk'))).toBe(chunks);
    expect(after.has('process_cpu_user_seconds_total')).toBe(true);

    const api = await scrape(apiMetricsPort);
    // Three heavy n asked in this file, each a flow of its chunks and a combine, all kept.
    let kept = 0;
    for (const n of [HEAVY_N, HEAVY_N + 1n, HEAVY_N + 2n]) {
      const { works } = await planBatch([nth(n)], { parallelism: 2, priority: 0 });
      kept += works[0]!.chunks.length + 1;
    }
    expect(api.value('bullmq_job_count', { queue: queueName, state: 'completed' })).toBe(kept);
    expect(api.value('bullmq_job_count', { queue: queueName, state: 'waiting' })).toBe(0);
    expect(api.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('feeds every query of the Grafana dashboard in infra/grafana, and nothing it reads is missing', async () => {
    const dashboard = JSON.parse(await readFile(GRAFANA_DASHBOARD, 'utf8')) as GrafanaDashboard;
    expect(dashboard.uid).toBe('twelvefa');
    const exported = new Set([
      ...(await scrape(apiMetricsPort)).names(),
      ...(await scrape(workerMetricsPort)).names(),
    ]);
    const read = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets) {
        const names = metricNamesIn(expr);
        expect(names.length, `${panel.title}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) read.add(name);
      }
    }
    expect([...read].filter((name) => !exported.has(name))).toEqual([]);
    // The conventional gRPC series are among them.
    for (const name of ['grpc_server_handled_total', 'grpc_server_handling_seconds_bucket']) {
      expect(read).toContain(name);
    }
  });

  it('answers 404 off /metrics', async () => {
    const response = await fetch(`http://127.0.0.1:${apiMetricsPort}/`);
    expect(response.status).toBe(404);
  });
});

describe('when a request observer throws', () => {
  it('answers the call anyway, reports the failure, and still tells the other observers', async () => {
    const config = parseApiConfig({ HOST: '127.0.0.1', PORT: '0', EMBEDDED_THREADS: '1' });
    const logger = pino({ level: 'silent' });
    const runner = createJobRunner(config, logger);
    const failures: unknown[] = [];
    const ended: string[] = [];
    const broken: AnswerObserver<void> = {
      started: () => {
        throw new Error('metrics backend exploded');
      },
      ended: () => undefined,
    };
    const counting: AnswerObserver<void> = {
      started: () => undefined,
      ended: (request, _, { status: { code } }) => void ended.push(`${request.method} ${code}`),
    };
    const registry = new JobRegistry(runner, { maxInFlight: 1, cacheSize: 0 });
    const answer = wrapAnswerer(
      createActorAnswerer({ heavyWork: registry, limits: requestLimits(config) }),
      [broken, counting].map((observer) => observing(observer, (error) => failures.push(error))),
    );
    const server = createServer({ config, logger, runner, answer });
    const client = new TestCalcClient(await server.start());
    try {
      expect(await client.add(2n, 2n)).toEqual({ ok: true, value: 4n });
      expect(failures).toEqual([new Error('metrics backend exploded')]);
      expect(ended).toEqual(['Add OK']);
    } finally {
      client.close();
      await server.close();
    }
  });
});
