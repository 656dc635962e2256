import { status } from '@grpc/grpc-js';
import { freePort, ManagedProcess, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHealth } from '../src/health-probe/health-check.js';
import { BIN } from './helpers/bins.js';
import { TestCalcClient } from './helpers/calc-client.js';
import { knownPrime } from './helpers/known-primes.js';
import { freshQueueName } from './helpers/queue-fixture.js';
import { waitUntil } from './helpers/wait-until.js';

/** The HTTP status of a probe path on a metrics port. */
async function probe(port: number, path: '/livez' | '/readyz'): Promise<number> {
  return (await fetch(`http://127.0.0.1:${port}${path}`)).status;
}

/** Every grpc.health.v1 service the API reports, and its status. */
async function grpcHealth(port: number): Promise<Record<string, string>> {
  const address = `127.0.0.1:${port}`;
  const services = ['liveness', 'readiness', '', 'calc.Calc'];
  const statuses = await Promise.all(services.map((service) => checkHealth(address, service)));
  return Object.fromEntries(
    services.map((service, i) => [service || '(whole)', statuses[i] ?? '']),
  );
}

// What Kubernetes' probes see (infra/k8s: gRPC `liveness` and `readiness` for the API, /livez
// and /readyz for workers) while Redis goes away and comes back, from real processes.
describe('probes through a Redis outage', () => {
  let redis: TestRedis;
  let api: ManagedProcess;
  let worker: ManagedProcess;
  let client: TestCalcClient;
  let apiPort: number;
  let apiMetrics: number;
  let workerMetrics: number;

  beforeAll(async () => {
    redis = await startTestRedis({ own: true });
    const queue = { QUEUE_PREFIX: 'twelvefa-test', QUEUE_NAME: freshQueueName('probes') };
    [apiMetrics, workerMetrics] = [await freePort(), await freePort()];
    worker = ManagedProcess.node(BIN.worker, {
      REDIS_URL: redis.url,
      METRICS_PORT: String(workerMetrics),
      ...queue,
    });
    api = ManagedProcess.node(BIN.api, {
      REDIS_URL: redis.url,
      HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: String(apiMetrics),
      INLINE_MAX_N: '1000',
      ...queue,
    });
    await worker.waitForRecord((line) => line.msg === 'worker ready');
    apiPort = Number((await api.waitForRecord((line) => line.msg === 'listening')).port);
    client = new TestCalcClient(apiPort);
  });

  afterAll(async () => {
    client?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
    await redis?.close();
  });

  it('reports every service SERVING and both processes ready while Redis is up', async () => {
    await waitUntil(async () => (await grpcHealth(apiPort))['(whole)'] === 'SERVING', 'SERVING');
    expect(await grpcHealth(apiPort)).toEqual({
      liveness: 'SERVING',
      readiness: 'SERVING',
      '(whole)': 'SERVING',
      'calc.Calc': 'SERVING',
    });
    expect(await probe(apiMetrics, '/readyz')).toBe(200);
    expect(await probe(workerMetrics, '/livez')).toBe(200);
    await waitUntil(async () => (await probe(workerMetrics, '/readyz')) === 200, 'worker ready');
  });

  it('with Redis gone: alive and routable, heavy work NOT_SERVING and UNAVAILABLE, worker unready', async () => {
    await redis.kill();
    await waitUntil(
      async () => (await grpcHealth(apiPort))['(whole)'] === 'NOT_SERVING',
      'heavy work NOT_SERVING',
    );
    expect(await grpcHealth(apiPort)).toEqual({
      liveness: 'SERVING',
      readiness: 'SERVING',
      '(whole)': 'NOT_SERVING',
      'calc.Calc': 'NOT_SERVING',
    });
    expect(await probe(apiMetrics, '/livez')).toBe(200);
    expect(await probe(apiMetrics, '/readyz')).toBe(200);
    expect(await client.add(2n, 5n)).toEqual({ ok: true, value: 7n });
    expect(await client.nthPrimes([12n])).toEqual({ ok: true, value: [37n] });
    expect(await client.nthPrimes([5000n])).toMatchObject({ ok: false, code: status.UNAVAILABLE });
    expect(await probe(workerMetrics, '/livez')).toBe(200);
    await waitUntil(async () => (await probe(workerMetrics, '/readyz')) === 503, 'worker unready');
    // Nothing restarted itself: both processes are the ones started.
    expect([api.running, worker.running]).toEqual([true, true]);
  });

  it('with Redis back: heavy work SERVING again and answered, worker ready, same processes', async () => {
    await redis.restart();
    await waitUntil(
      async () => (await grpcHealth(apiPort))['(whole)'] === 'SERVING',
      'heavy work SERVING',
      20_000,
    );
    await waitUntil(
      async () => (await probe(workerMetrics, '/readyz')) === 200,
      'worker ready',
      20_000,
    );
    expect(await client.nthPrimes([10_000n])).toEqual({
      ok: true,
      value: [BigInt(knownPrime(10_000))],
    });
    expect([api.running, worker.running]).toEqual([true, true]);
  });
});
