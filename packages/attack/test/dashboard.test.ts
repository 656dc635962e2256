import { ManagedProcess, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, guess, SourceAddress } from '../src/dashboard-guessing.js';
import { BIN, queueEnv } from '../src/service.js';

const USER = 'operator';
const PASSWORD = 'a long and unguessable passphrase';
const ATTEMPTS = 5;
/** The test's cap on the back-off (the default is 60 s), so that it waits seconds, not minutes. */
const BACKOFF_MAX_S = 4;
const GUESSING_MS = 6000;
const ADDRESSES = 20;

describe('the queue dashboard against a password guesser', () => {
  let redis: TestRedis;
  let redisClient: Redis;
  const dashboards: ManagedProcess[] = [];
  const ports: number[] = [];
  const env = () => queueEnv(redis.url, 'dashboard');

  beforeAll(async () => {
    redis = await startTestRedis();
    redisClient = new Redis(redis.url);
    // Two processes, as two replicas behind one Service: one count must bind them both.
    for (let replica = 0; replica < 2; replica += 1) {
      const dashboard = ManagedProcess.node(BIN.dashboard, {
        ...env(),
        DASHBOARD_HOST: '127.0.0.1',
        DASHBOARD_PORT: '0',
        DASHBOARD_USER: USER,
        DASHBOARD_PASSWORD: PASSWORD,
        DASHBOARD_LOGIN_ATTEMPTS: String(ATTEMPTS),
        DASHBOARD_LOGIN_BACKOFF_MAX_S: String(BACKOFF_MAX_S),
      });
      dashboards.push(dashboard);
      const listening = await dashboard.waitForRecord((line) => line.msg === 'dashboard listening');
      ports.push(Number(listening.port));
    }
  });

  afterAll(async () => {
    await Promise.all(dashboards.map((dashboard) => dashboard.stop()));
    redisClient?.disconnect();
    await redis?.close();
  });

  /** Forgets every failed and successful login, so a phase starts from nothing. */
  const forgetLogins = async (): Promise<void> => {
    const keys = await redisClient.keys(`${env().QUEUE_PREFIX}:dashboard:login:*`);
    if (keys.length > 0) await redisClient.del(...keys);
  };

  it('asks for credentials and admits the right ones', async () => {
    const client = new SourceAddress('127.0.0.1', ports[0] ?? 0);
    try {
      expect((await client.get('/api/queues')).status).toBe(401);
      expect((await client.get('/api/queues', basic(USER, PASSWORD))).status).toBe(200);
      expect((await client.get('/healthz')).status).toBe(200);
    } finally {
      client.close();
    }
  });

  it('refuses every mutating route in read-only mode, pause and resume included', async () => {
    const queue = encodeURIComponent(String(env().QUEUE_NAME));
    const routes: [string, string][] = [
      ['PUT', '/api/queues/pause'],
      ['PUT', '/api/queues/resume'],
      ['PUT', `/api/queues/${queue}/pause`],
      ['PUT', `/api/queues/${queue}/clean/completed`],
      ['PUT', `/api/queues/${queue}/retry/failed`],
      ['POST', `/api/queues/${queue}/add`],
      ['PUT', `/api/queues/${queue}/empty`],
    ];
    const client = new SourceAddress('127.0.0.1', ports[0] ?? 0);
    try {
      for (const [method, path] of routes) {
        const answer = await client.get(path, basic(USER, PASSWORD), method);
        expect(answer.status, `${method} ${path}`).toBe(405);
      }
    } finally {
      client.close();
    }
  });

  it(`gives ${ADDRESSES} addresses at 2 processes no more guesses than one address at one, and keeps the operator in`, async () => {
    const [portA = 0, portB = 0] = ports;
    await forgetLogins();
    const alone = [new SourceAddress('127.0.0.2', portA)];
    const one = await guess(alone, USER, { durationMs: GUESSING_MS, pauseMs: 50 });

    await forgetLogins();
    // The operator has logged in from 127.0.0.50 before the guessing starts.
    const operator = new SourceAddress('127.0.0.50', portA);
    expect((await operator.get('/api/queues', basic(USER, PASSWORD))).status).toBe(200);
    const many = Array.from({ length: ADDRESSES }, (_, index) => `127.0.0.${3 + index}`).flatMap(
      (address) => [new SourceAddress(address, portA), new SourceAddress(address, portB)],
    );
    const operatorAnswers: number[] = [];
    let guessing = true;
    const operatorAtB = new SourceAddress('127.0.0.50', portB);
    const operatorLoop = (async () => {
      while (guessing) {
        operatorAnswers.push((await operatorAtB.get('/api/queues', basic(USER, PASSWORD))).status);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const all = await guess(many, USER, { durationMs: GUESSING_MS, pauseMs: 50 });
    guessing = false;
    await operatorLoop;

    // Someone at an address never used before, right after the guessing stops.
    const newcomer = new SourceAddress('127.0.0.60', portB);
    const started = performance.now();
    let answer = await newcomer.get('/api/queues', basic(USER, PASSWORD));
    const first = answer;
    while (answer.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, (answer.retryAfter ?? 1) * 1000));
      answer = await newcomer.get('/api/queues', basic(USER, PASSWORD));
    }
    const waitedMs = performance.now() - started;
    for (const client of [...alone, ...many, operator, operatorAtB, newcomer]) client.close();

    console.log(
      `dashboard guessing, ${GUESSING_MS / 1000} s each: 1 address at 1 process had ${one.checked} wrong passwords checked ` +
        `(${JSON.stringify(one.byStatus)}); ${ADDRESSES} addresses at 2 processes (${all.lanes} lanes) had ${all.checked} ` +
        `(${JSON.stringify(all.byStatus)}, longest Retry-After ${all.longestRetryAfter} s); the operator at a known address: ` +
        `${JSON.stringify(Object.fromEntries([...new Set(operatorAnswers)].map((code) => [code, operatorAnswers.filter((c) => c === code).length])))}; ` +
        `a new address with the right password: ${first.status} then ${answer.status} after ${(waitedMs / 1000).toFixed(1)} s`,
    );
    expect(one.checked).toBeGreaterThanOrEqual(ATTEMPTS);
    // The back-off's grain is one wait: which lane gets the try at its end is a race.
    expect(all.checked).toBeLessThanOrEqual(one.checked + 1);
    expect(all.byStatus['429']).toBeGreaterThan(0);
    expect(all.longestRetryAfter).toBeLessThanOrEqual(BACKOFF_MAX_S);
    expect(new Set(operatorAnswers)).toEqual(new Set([200]));
    expect(answer.status).toBe(200);
    expect(waitedMs).toBeLessThan((BACKOFF_MAX_S + 1) * 1000);
  });
});
