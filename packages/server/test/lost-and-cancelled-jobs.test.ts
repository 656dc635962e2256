// Nothing lost, nothing left behind: cancels that race the add, jobs another replica gives up,
// and a Redis that comes back empty, each against a real Redis and real workers.
import type { ManagedProcess } from '@twelvefa/test-support';
import { EVERY_JOB_STATE, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceExhaustedError } from '../src/errors.js';
import type { BullmqJobRunner } from '../src/jobs/bullmq-job-runner.js';
import { JobRegistry } from '../src/jobs/job-registry.js';
import type { PrimeTarget } from '../src/jobs/prime-target.js';
import { knownPrime, MEDIUM_N, SLOW_N } from './helpers/known-primes.js';
import { createBullmqRunner, freshQueueName, startWorker } from './helpers/queue-fixture.js';
import { nth } from './helpers/targets.js';
import { startOne } from './job-runner-contract.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  await redis?.close();
});

async function jobsLeft(runner: BullmqJobRunner): Promise<number> {
  const counts = await runner.queue.getJobCounts(...EVERY_JOB_STATE);
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** Heavy n with plans of several chunks, none of them computed by these tests. */
const heavyNs = (count: number): PrimeTarget[] =>
  Array.from({ length: count }, (_, i) => nth(SLOW_N + 1000 * (i + 1)));

describe('a cancel that comes while the jobs are still being added', () => {
  it('leaves nothing queued once the cancel settles, in any state, and nothing arrives later', async () => {
    const runner = await createBullmqRunner(redis.url, freshQueueName('cancel-storm'), {
      keepFailed: 0,
    });
    try {
      const jobs = runner.start(heavyNs(20));
      // Cancelled in the same tick as the start: every add is still under way.
      await Promise.all(jobs.map((job) => job.cancel()));
      for (const job of jobs)
        await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
      expect(await jobsLeft(runner)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await jobsLeft(runner)).toBe(0);
      expect(runner.pendingCount()).toBe(0);
    } finally {
      await runner.close();
    }
  });

  it('counts against MAX_IN_FLIGHT until its jobs are gone', async () => {
    const runner = await createBullmqRunner(redis.url, freshQueueName('in-flight'));
    const registry = new JobRegistry(runner, { maxInFlight: 2, cacheSize: 0 });
    try {
      const [a, b, c] = heavyNs(3) as [PrimeTarget, PrimeTarget, PrimeTarget];
      for (const lease of registry.acquire([a, b])) lease.release();
      // Released, but their removal from Redis has not finished: still held.
      expect(registry.stats()).toMatchObject({ inFlight: 0, cancelling: 2 });
      expect(() => registry.acquire([c])).toThrow(ResourceExhaustedError);
      await expect.poll(() => registry.stats().cancelling, { timeout: 5000, interval: 10 }).toBe(0);
      expect(await jobsLeft(runner)).toBe(0);
      const [lease] = registry.acquire([c]);
      lease?.release();
    } finally {
      await runner.close();
    }
  });
});

describe('when the process shuts down', () => {
  it('leaves the jobs of calls it gives up queued, for the replicas sharing them and for retries', async () => {
    const runner = await createBullmqRunner(redis.url, freshQueueName('shutdown'));
    try {
      const job = startOne(runner, SLOW_N);
      await job.dispatched;
      const queued = await jobsLeft(runner);
      expect(queued).toBeGreaterThan(1);
      runner.beginShutdown();
      await job.cancel();
      await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
      expect(await jobsLeft(runner)).toBe(queued);
    } finally {
      await runner.close();
    }
  });
});

describe('a job one API replica gives up while another waits for it', () => {
  let worker: ManagedProcess;
  const queueName = freshQueueName('given-up');

  beforeAll(async () => {
    worker = await startWorker(redis.url, queueName);
  });

  afterAll(async () => {
    await worker?.stop();
  });

  it('goes on for the replica still waiting, computed once, nothing of it cancelled', async () => {
    const [quitter, stayer] = await Promise.all([
      createBullmqRunner(redis.url, queueName),
      createBullmqRunner(redis.url, queueName),
    ]);
    try {
      const from = worker.records.length;
      const given = startOne(quitter, SLOW_N);
      await given.dispatched;
      const kept = startOne(stayer, SLOW_N);
      await kept.dispatched;
      await worker.waitForRecord((line) => line.msg === 'job started', 15_000, from);
      await given.cancel();
      expect(await kept.result).toBe(knownPrime(SLOW_N));
      const since = worker.records.slice(from);
      expect(since.filter((line) => line.msg === 'job cancelled by the API')).toEqual([]);
      const combines = since.filter(
        (line) => line.msg === 'job started' && line.jobId === `nth-prime-${SLOW_N}`,
      );
      expect(combines).toHaveLength(1);
    } finally {
      await Promise.all([quitter.close(), stayer.close()]);
    }
  });
});

describe('when Redis restarts without its data under a call in flight', () => {
  let ownRedis: TestRedis;
  let worker: ManagedProcess;
  const queueName = freshQueueName('restart');

  beforeAll(async () => {
    ownRedis = await startTestRedis({ own: true });
    worker = await startWorker(ownRedis.url, queueName, { WORKER_CONCURRENCY: '1' });
  });

  afterAll(async () => {
    await worker?.stop();
    await ownRedis?.close();
  });

  it('notices the job is gone after the reconnect, adds it again and answers', async () => {
    const runner = await createBullmqRunner(ownRedis.url, queueName);
    try {
      const job = startOne(runner, MEDIUM_N);
      await job.dispatched;
      await ownRedis.restart();
      const restartedAt = Date.now();
      expect(await job.result).toBe(knownPrime(MEDIUM_N));
      // Reconnects back off for up to a few seconds; the computation itself is about one.
      expect(Date.now() - restartedAt).toBeLessThan(15_000);
    } finally {
      await runner.close();
    }
  }, 30_000);
});
