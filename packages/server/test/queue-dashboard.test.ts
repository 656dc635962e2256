import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, ManagedProcess, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDashboardConfig } from '../src/dashboard/dashboard-config.js';
import { createDashboardServer } from '../src/dashboard/dashboard-server.js';
import {
  type ChunkJobData,
  type CombineJobData,
  chunkJobId,
  type PrimeJobData,
} from '../src/jobs/prime-job.js';
import { ARTIFACTS_DIR, BIN } from './helpers/bins.js';
import { launchBrowser, type TestBrowser } from './helpers/browser.js';
import { TestCalcClient } from './helpers/calc-client.js';
import { freshQueueName, quietLogger, startWorker } from './helpers/queue-fixture.js';
import { nth } from './helpers/targets.js';
import { waitUntil } from './helpers/wait-until.js';

const USER = 'operator';
const PASSWORD = 'correct horse battery staple';
const PREFIX = 'twelvefa-test';
// Heavy enough to be a flow of chunks and a combine for the two workers the API plans for,
// quick enough for CI.
const HEAVY_N = 10_000_000_000_000n;
const HEAVY_PRIME = 323_780_508_946_331n;

/** The chunks the flow of HEAVY_N was cut into, from its parent's data in Redis. */
async function partsOfFlow(redisUrl: string, queueName: string): Promise<number> {
  const connection = new Redis(redisUrl);
  const queue = new Queue<PrimeJobData>(queueName, { connection, prefix: PREFIX });
  try {
    const parent = await queue.getJob(`nth-prime-${HEAVY_N}`);
    const parts = (parent?.data as CombineJobData | undefined)?.parts;
    if (parts === undefined) throw new Error(`nth-prime-${HEAVY_N} is not a flow in the queue`);
    return parts;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

function authorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('the queue dashboard with a real Redis, API, worker and browser', () => {
  const queueName = freshQueueName('dashboard');
  let redis: TestRedis;
  let worker: ManagedProcess;
  let api: ManagedProcess;
  let dashboard: ManagedProcess;
  let client: TestCalcClient;
  let browser: TestBrowser;
  let base: string;

  beforeAll(async () => {
    redis = await startTestRedis();
    const shared = { REDIS_URL: redis.url, QUEUE_PREFIX: PREFIX, QUEUE_NAME: queueName };
    worker = await startWorker(redis.url, queueName, { JOB_KEEP_COMPLETED: '100' });
    const apiPort = await freePort();
    api = ManagedProcess.node(BIN.api, { ...shared, PORT: String(apiPort), HOST: '127.0.0.1' });
    await api.waitForRecord((line) => line.msg === 'listening');
    client = new TestCalcClient(apiPort);
    const dashboardPort = await freePort();
    dashboard = ManagedProcess.node(BIN.dashboard, {
      ...shared,
      DASHBOARD_PORT: String(dashboardPort),
      DASHBOARD_USER: USER,
      DASHBOARD_PASSWORD: PASSWORD,
    });
    await dashboard.waitForRecord((line) => line.msg === 'dashboard listening');
    base = `http://127.0.0.1:${dashboardPort}`;
    browser = await launchBrowser({ username: USER, password: PASSWORD });
  });

  afterAll(async () => {
    await browser?.close();
    client?.close();
    await dashboard?.stop();
    await api?.stop();
    await worker?.stop();
    await redis?.close();
  });

  it('shows the completed flow of a heavy NthPrimes request and its result', async () => {
    const answer = await client.nthPrimes([HEAVY_N]);
    expect(answer).toEqual({ ok: true, value: [HEAVY_PRIME] });
    const parts = await partsOfFlow(redis.url, queueName);
    expect(parts).toBeGreaterThan(1);

    const page = await browser.context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: queueName }).first().click();
    await page
      .getByText(/completed/i)
      .first()
      .waitFor();
    await page.goto(`${base}/queue/${encodeURIComponent(queueName)}?status=completed`);
    // The list shows each answer: no need to open the job's JSON.
    const jobCard = page.getByText(`n=${HEAVY_N}, ${parts} parts: ${HEAVY_PRIME}`).first();
    await jobCard.waitFor();
    // Everything the page needs comes from the dashboard itself, its fonts included.
    await page.waitForLoadState('networkidle');
    expect(requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
    expect(requested.some((url) => /\/fonts\/ibm-plex-sans\/files\/.+\.woff2$/.test(url))).toBe(
      true,
    );

    await page.goto(`${base}/queue/${encodeURIComponent(queueName)}/nth-prime-${HEAVY_N}`);
    // The flow loads after the job card: wait for its chunk nodes.
    await page.getByText(`n=${HEAVY_N}, part ${parts} of ${parts}`).first().waitFor();
    await page.getByText('COMPLETED').first().waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toMatch(new RegExp(`answer:\\s*"${HEAVY_PRIME}"`));
    expect(body).toMatch(new RegExp(`target:\\s*"n=${HEAVY_N}"`));
    expect(body).toMatch(new RegExp(`Children\\s*${parts} done`));
    expect(body).toMatch(/completed/i);
    // The flow tree lists every chunk under the combine job.
    for (let part = 1; part <= parts; part++) {
      expect(body).toContain(`n=${HEAVY_N}, part ${part} of ${parts}`);
    }
    // The parent's progress counted the chunks as they finished: all done.
    const connection = new Redis(redis.url);
    const queue = new Queue(queueName, { connection, prefix: PREFIX });
    const parent = await queue.getJob(`nth-prime-${HEAVY_N}`);
    expect(parent?.progress).toEqual({ done: parts, total: parts });
    await queue.close();
    connection.disconnect();

    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'queue-dashboard-job.png'), fullPage: true });

    // The combine job's log has one line per chunk.
    await page.getByText('Logs', { exact: true }).first().click();
    await page.getByText(`done: n=${HEAVY_N}, part 1 of ${parts}`).first().waitFor();
    await page.getByText(`done: n=${HEAVY_N}, part ${parts} of ${parts}`).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'queue-dashboard-job-log.png') });
    await page.close();
  });

  it("opens a job's data with a summary in an operator's words, the raw data below it", async () => {
    const connection = new Redis(redis.url);
    const queue = new Queue<PrimeJobData>(queueName, { connection, prefix: PREFIX });
    try {
      const parentId = `nth-prime-${HEAVY_N}`;
      const parent = await queue.getJob(parentId);
      if (parent === undefined) throw new Error(`${parentId} is not in the queue`);
      const { plan } = parent.data as CombineJobData;
      const chunkId = chunkJobId(nth(HEAVY_N), plan.chunks[0]!);
      const chunk = await queue.getJob(chunkId);
      const chunkData = chunk?.data as ChunkJobData;
      const took = (job: typeof chunk) =>
        `${(((job?.finishedOn ?? 0) - (job?.processedOn ?? 0)) / 1000).toFixed(2)} s`;
      const x = plan.params?.x;
      const parts = plan.chunks.length;
      const walk = plan.seconds - plan.chunks.reduce((sum, part) => sum + part.seconds, 0);

      const page = await browser.context.newPage();
      const jobPage = async (id: string): Promise<string> => {
        await page.goto(`${base}/queue/${encodeURIComponent(queueName)}/${encodeURIComponent(id)}`);
        await page.getByText('summary').first().waitFor();
        return (await page.locator('body').textContent()) ?? '';
      };
      // The Data tab's text, in this order (the JSON viewer may drop the space after a colon).
      const inOrder = (...parts: string[]) =>
        new RegExp(
          parts
            .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll(': ', ':\\s*'))
            .join('[^]*?'),
        );

      expect(await jobPage(parentId)).toMatch(
        inOrder(
          'jobData:',
          'summary:',
          `target: "n=${HEAVY_N}"`,
          `job: "combine of ${parts} parts"`,
          `range: "pi(${x}) from parts 1 to ${parts}, then the walk from ${x} to p(${HEAVY_N})"`,
          `estimated: "${walk.toFixed(2)} s"`,
          `actual: "${took(parent)}"`,
          `answer: "${HEAVY_PRIME}"`,
          'raw:',
          'kind: "combine"',
          'returnValue:',
        ),
      );
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'queue-dashboard-job-summary.png') });

      expect(await jobPage(chunkId)).toMatch(
        inOrder(
          'summary:',
          `target: "n=${HEAVY_N}"`,
          `job: "part 1 of ${parts}"`,
          `range: "${chunkData.label}"`,
          `estimated: "${chunkData.chunk.seconds.toFixed(2)} s"`,
          `actual: "${took(chunk)}"`,
          `answer: "partial sums, combined by ${parentId}"`,
          'raw:',
          'kind: "chunk"',
        ),
      );
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'queue-dashboard-chunk-summary.png') });
      await page.close();

      // The queue's list of jobs carries the same summaries.
      const listed = await fetch(
        // One page of them all (bull-board's page is 10 jobs by default).
        `${base}/api/queues?activeQueue=${encodeURIComponent(queueName)}&status=completed&jobsPerPage=${parts + 1}`,
        { headers: { authorization: authorization(USER, PASSWORD) } },
      );
      const { queues } = (await listed.json()) as {
        queues: { name: string; jobs: { data: { summary?: { job: string } } }[] }[];
      };
      const jobs = queues.find((listedQueue) => listedQueue.name === queueName)?.jobs ?? [];
      expect(jobs.map((job) => job.data.summary?.job).sort()).toEqual(
        [
          `combine of ${parts} parts`,
          ...Array.from({ length: parts }, (_, i) => `part ${i + 1} of ${parts}`),
        ].sort(),
      );
      // Only the view has it: the data in Redis is as the API wrote it.
      expect((await queue.getJob(chunkId))?.data).toEqual(chunkData);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('answers 401 with a Basic challenge to a request without or with wrong credentials', async () => {
    const anonymous = await fetch(`${base}/api/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${base}/api/queues`, {
      headers: { authorization: authorization(USER, 'guess') },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${base}/api/queues`, {
      headers: { authorization: authorization(USER, PASSWORD) },
    });
    expect(right.status).toBe(200);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
  });

  it('is read-only by default: a clean is refused and the jobs stay', async () => {
    const queue = new Queue(queueName, { connection: new Redis(redis.url), prefix: PREFIX });
    try {
      const before = await queue.getJobCountByTypes('completed');
      expect(before).toBeGreaterThan(0);
      const clean = await fetch(
        `${base}/api/queues/${encodeURIComponent(queueName)}/clean/completed`,
        {
          method: 'PUT',
          headers: { authorization: authorization(USER, PASSWORD) },
        },
      );
      expect(clean.status).toBe(405);
      expect(await queue.getJobCountByTypes('completed')).toBe(before);
      // bull-board itself answers these two 200 in read-only mode.
      for (const action of ['pause', 'resume']) {
        const answer = await fetch(`${base}/api/queues/${action}`, {
          method: 'PUT',
          headers: { authorization: authorization(USER, PASSWORD) },
        });
        expect(answer.status, action).toBe(405);
      }
      expect(await queue.isPaused()).toBe(false);
    } finally {
      await queue.close();
      await queue.disconnect();
    }
  });
});

describe('when the dashboard actions are enabled', () => {
  it('retries failed jobs on request, and refuses to edit job data', async () => {
    const redis = await startTestRedis();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(freshQueueName('dashboard-actions'), { connection, prefix: PREFIX });
    const server = createDashboardServer({
      config: parseDashboardConfig({ REDIS_URL: redis.url, DASHBOARD_ACTIONS: 'true' }),
      queues: [queue],
      logger: quietLogger,
      logins: { connection, keyPrefix: `${PREFIX}:dashboard:login` },
    });
    try {
      const failing = new Worker(
        queue.name,
        async () => {
          throw new Error('no prime today');
        },
        { connection: new Redis(redis.url, { maxRetriesPerRequest: null }), prefix: PREFIX },
      );
      const job = await queue.add('nth-prime n=1', { n: '1' });
      await waitUntil(async () => (await queue.getJobCountByTypes('failed')) === 1, 'it fails');
      await failing.close();
      await failing.disconnect();
      const port = await server.listen(0);
      const retry = await fetch(
        `http://127.0.0.1:${port}/api/queues/${encodeURIComponent(queue.name)}/retry/failed`,
        { method: 'PUT' },
      );
      expect(retry.status).toBe(200);
      expect(await queue.getJobCounts('failed', 'waiting')).toMatchObject({
        failed: 0,
        waiting: 1,
      });
      // The editor would start from the summary the board shows, not the data workers read.
      const edit = await fetch(
        `http://127.0.0.1:${port}/api/queues/${encodeURIComponent(queue.name)}/${job.id}/update-data`,
        {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jobData: { n: '2' } }),
        },
      );
      expect(edit.status).toBe(405);
      expect((await queue.getJob(job.id ?? ''))?.data).toEqual({ n: '1' });
    } finally {
      await server.close();
      await queue.close();
      connection.disconnect();
      await redis.close();
    }
  });
});

describe('when someone guesses the dashboard password', () => {
  it('makes each try past DASHBOARD_LOGIN_ATTEMPTS wait, for the user at every address, except where the user has logged in', async () => {
    const redis = await startTestRedis();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(freshQueueName('dashboard-guess'), { connection, prefix: PREFIX });
    const keyPrefix = `${PREFIX}:dashboard:login:${Date.now()}`;
    const server = createDashboardServer({
      config: parseDashboardConfig({
        REDIS_URL: redis.url,
        DASHBOARD_USER: USER,
        DASHBOARD_PASSWORD: PASSWORD,
        DASHBOARD_LOGIN_ATTEMPTS: '3',
        DASHBOARD_LOGIN_BACKOFF_MAX_S: '2',
        DASHBOARD_HOST: '::',
      }),
      queues: [queue],
      logger: quietLogger,
      logins: { connection, keyPrefix },
    });
    try {
      const port = await server.listen(0);
      const get = (address: string, password?: string): Promise<Response> =>
        fetch(`http://${address}:${port}/api/queues`, {
          headers: password === undefined ? {} : { authorization: authorization(USER, password) },
        });
      // No credentials is no try: challenged, never counted.
      for (let request = 0; request < 5; request += 1) {
        expect((await get('127.0.0.1')).status).toBe(401);
      }
      // Three wrong from an address the user never logged in from: the third starts a 1 s wait,
      // in which every try is refused unchecked, the right password too, at any new address.
      for (const password of ['guess-1', 'guess-2', 'guess-3']) {
        expect((await get('127.0.0.1', password)).status).toBe(401);
      }
      const refused = await get('127.0.0.1', PASSWORD);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBe(1);
      expect((await get('[::1]', PASSWORD)).status).toBe(429);
      // Each later failure doubles the wait, up to DASHBOARD_LOGIN_BACKOFF_MAX_S (2 s here).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await get('127.0.0.1', 'guess-4')).status).toBe(401);
      expect(Number((await get('127.0.0.1', 'guess-5')).headers.get('retry-after'))).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await get('127.0.0.1', 'guess-6')).status).toBe(401);
      expect(Number((await get('127.0.0.1', 'guess-7')).headers.get('retry-after'))).toBe(2);
      // Once the wait has passed, the right password gets in, and the address is known.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      expect((await get('127.0.0.1', PASSWORD)).status).toBe(200);
      // A guesser elsewhere goes on from its back-off, and cannot hold the known address out.
      expect((await get('[::1]', 'guess-8')).status).toBe(401);
      expect((await get('[::1]', PASSWORD)).status).toBe(429);
      expect((await get('127.0.0.1', PASSWORD)).status).toBe(200);
      // The counts are in Redis, under the prefix, for every dashboard process to share.
      expect(await connection.keys(`${keyPrefix}:*`)).toEqual(
        expect.arrayContaining([expect.stringMatching(/:user:[0-9a-f]{32}:failures$/)]),
      );
    } finally {
      await server.close();
      await queue.close();
      connection.disconnect();
      await redis.close();
    }
  });
});

describe('when the dashboard would be exposed without credentials', () => {
  it('refuses to start, naming the variables to set', async () => {
    const process = ManagedProcess.node(BIN.dashboard, {
      REDIS_URL: 'redis://127.0.0.1:1',
      DASHBOARD_HOST: '0.0.0.0',
      DASHBOARD_PORT: String(await freePort()),
    });
    const { code } = await process.exited;
    expect(code).toBe(2);
    expect(process.log).toContain('DASHBOARD_HOST "0.0.0.0" is not a loopback address');
    expect(process.log).toContain('DASHBOARD_USER and DASHBOARD_PASSWORD');
  });
});

describe('with DASHBOARD_GENERATE_PASSWORD and no password (as Compose runs it)', () => {
  it('generates a password at the first start, logs it once, and keeps it in Redis for the next', async () => {
    const redis = await startTestRedis();
    const prefix = freshQueueName('generated');
    const start = async (): Promise<{ dashboard: ManagedProcess; base: string }> => {
      const port = await freePort();
      const dashboard = ManagedProcess.node(BIN.dashboard, {
        REDIS_URL: redis.url,
        QUEUE_PREFIX: prefix,
        DASHBOARD_HOST: '0.0.0.0',
        DASHBOARD_PORT: String(port),
        DASHBOARD_GENERATE_PASSWORD: 'true',
      });
      await dashboard.waitForRecord((line) => line.msg === 'dashboard listening');
      return { dashboard, base: `http://127.0.0.1:${port}` };
    };
    try {
      const first = await start();
      const generated = first.dashboard.records.find((line) => typeof line.password === 'string');
      const password = String(generated?.password);
      expect(password).toMatch(/^[\w-]{24}$/);
      expect((await fetch(`${first.base}/api/queues`)).status).toBe(401);
      const headers = { authorization: authorization(USER, password) };
      expect((await fetch(`${first.base}/api/queues`, { headers })).status).toBe(200);
      await first.dashboard.stop();

      const second = await start();
      expect(second.dashboard.log).not.toContain(password);
      expect((await fetch(`${second.base}/api/queues`, { headers })).status).toBe(200);
      await second.dashboard.stop();
      const connection = new Redis(redis.url);
      expect(await connection.get(`${prefix}:dashboard:password`)).toBe(password);
      connection.disconnect();
    } finally {
      await redis.close();
    }
  });
});
