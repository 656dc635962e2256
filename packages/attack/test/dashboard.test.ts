import { freePort, ManagedProcess, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, queueEnv } from '../src/service.js';

const USER = 'operator';
const PASSWORD = 'a long and unguessable passphrase';
const ATTEMPTS = 5;

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the queue dashboard against a password guesser', () => {
  let redis: TestRedis;
  let dashboard: ManagedProcess;
  let port: number;

  beforeAll(async () => {
    redis = await startTestRedis();
    port = await freePort();
    dashboard = ManagedProcess.node(BIN.dashboard, {
      ...queueEnv(redis.url, 'dashboard'),
      DASHBOARD_HOST: '::',
      DASHBOARD_PORT: String(port),
      DASHBOARD_USER: USER,
      DASHBOARD_PASSWORD: PASSWORD,
      DASHBOARD_LOGIN_ATTEMPTS: String(ATTEMPTS),
    });
    await dashboard.waitForRecord((line) => line.msg === 'dashboard listening');
  });

  afterAll(async () => {
    await dashboard?.stop();
    await redis?.close();
  });

  const request = (host: string, path: string, password?: string, method = 'GET') =>
    fetch(`http://${host}:${port}${path}`, {
      method,
      headers: password === undefined ? {} : { authorization: basic(USER, password) },
    });

  it('asks for credentials and admits the right ones', async () => {
    expect((await request('127.0.0.1', '/api/queues')).status).toBe(401);
    expect((await request('127.0.0.1', '/api/queues', PASSWORD)).status).toBe(200);
  });

  it('refuses every mutating route in read-only mode, pause and resume included', async () => {
    const queue = encodeURIComponent(String(queueEnv(redis.url, 'dashboard').QUEUE_NAME));
    const routes: [string, string][] = [
      ['PUT', '/api/queues/pause'],
      ['PUT', '/api/queues/resume'],
      ['PUT', `/api/queues/${queue}/pause`],
      ['PUT', `/api/queues/${queue}/clean/completed`],
      ['PUT', `/api/queues/${queue}/retry/failed`],
      ['POST', `/api/queues/${queue}/add`],
      ['PUT', `/api/queues/${queue}/empty`],
    ];
    for (const [method, path] of routes) {
      expect((await request('127.0.0.1', path, PASSWORD, method)).status, `${method} ${path}`).toBe(
        405,
      );
    }
  });

  it(`answers 429 with Retry-After after ${ATTEMPTS} wrong passwords from one address, right one or not`, async () => {
    const started = performance.now();
    const statuses: number[] = [];
    for (let guess = 0; guess < 50; guess++) {
      statuses.push((await request('127.0.0.1', '/api/queues', `guess-${guess}`)).status);
    }
    const elapsed = performance.now() - started;
    console.log(
      `dashboard guessing: ${statuses.filter((code) => code === 401).length} wrong passwords tried, ` +
        `then ${statuses.filter((code) => code === 429).length} refused (${elapsed.toFixed(0)} ms for 50 requests)`,
    );
    expect(statuses.slice(0, ATTEMPTS)).toEqual(Array(ATTEMPTS).fill(401));
    expect(new Set(statuses.slice(ATTEMPTS))).toEqual(new Set([429]));
    const refused = await request('127.0.0.1', '/api/queues', PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other addresses are unaffected, and probes never need credentials.
    expect((await request('[::1]', '/api/queues', PASSWORD)).status).toBe(200);
    expect((await request('127.0.0.1', '/healthz')).status).toBe(200);
  });
});
