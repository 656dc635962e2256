import type { ManagedProcess } from '@twelvefa/test-support';
import { freePort, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../src/errors.js';
import { BullmqJobRunner } from '../src/jobs/bullmq-job-runner.js';
import { knownPrime, SLOW_N } from './helpers/known-primes.js';
import {
  createBullmqRunner,
  freshQueueName,
  quietLogger,
  startedJobIds,
  startWorker,
} from './helpers/queue-fixture.js';
import { waitUntil } from './helpers/wait-until.js';
import { describeJobRunnerContract, startOne } from './job-runner-contract.js';

let redis: TestRedis;
let worker: ManagedProcess;
const queueName = freshQueueName('contract');

beforeAll(async () => {
  redis = await startTestRedis();
  worker = await startWorker(redis.url, queueName);
});

afterAll(async () => {
  await worker?.stop();
  await redis?.close();
});

describeJobRunnerContract('BullMQ', {
  create: () => createBullmqRunner(redis.url, queueName),
  // One worker of concurrency 2, and the fixture's floor of 2.
  parallelism: 2,
});

describe('when BullMQ jobs are cancelled', () => {
  it('removes a job still waiting for a worker, chunks and all', async () => {
    const runner = await createBullmqRunner(redis.url, freshQueueName('no-workers'));
    try {
      const job = startOne(runner, SLOW_N);
      await job.dispatched;
      // The chunks after the first queue by their rank: prioritized.
      const before = await runner.queue.getJobCounts('waiting', 'prioritized', 'waiting-children');
      expect((before.waiting ?? 0) + (before.prioritized ?? 0)).toBeGreaterThan(1);
      expect(before['waiting-children']).toBe(1);
      job.cancel();
      await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
      await waitUntil(async () => {
        const counts = await runner.queue.getJobCounts(
          'waiting',
          'prioritized',
          'waiting-children',
          'active',
        );
        return Object.values(counts).every((count) => count === 0);
      }, 'no job is left waiting');
      expect(runner.pendingCount()).toBe(0);
    } finally {
      await runner.close();
    }
  });

  it('aborts a job a worker is running and removes the rest', async () => {
    const runner = await createBullmqRunner(redis.url, queueName);
    try {
      const from = worker.records.length;
      const job = startOne(runner, SLOW_N);
      // Chunks of SLOW_N take 100 ms or more: cancelling right after the start catches one running.
      await worker.waitForRecord((line) => line.msg === 'job started', 15_000, from);
      job.cancel();
      await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
      await worker.waitForRecord((line) => line.msg === 'job cancelled by the API', 5000, from);
      await waitUntil(async () => {
        const counts = await runner.queue.getJobCounts('waiting', 'waiting-children', 'active');
        return Object.values(counts).every((count) => count === 0);
      }, 'no job is left running or waiting');
    } finally {
      await runner.close();
    }
  });
});

describe('when two API replicas ask for the same n at once', () => {
  it('computes it once: one flow, each chunk started once', async () => {
    const name = freshQueueName('dedup');
    const dedupWorker = await startWorker(redis.url, name);
    const replicas = await Promise.all([
      createBullmqRunner(redis.url, name),
      createBullmqRunner(redis.url, name),
    ]);
    try {
      const results = await Promise.all(replicas.map((runner) => startOne(runner, SLOW_N).result));
      expect(results).toEqual([knownPrime(SLOW_N), knownPrime(SLOW_N)]);
      const started = startedJobIds(dedupWorker);
      expect(started.filter((id) => id === `nth-prime-${SLOW_N}`)).toHaveLength(1);
      expect(new Set(started).size).toBe(started.length);
    } finally {
      await Promise.all(replicas.map((runner) => runner.close()));
      await dedupWorker.stop();
    }
  });
});

describe('when a worker is killed in the middle of a job', () => {
  it('with the default settings, another worker takes the job over within 10 s, and the result still arrives', async () => {
    const name = freshQueueName('stalled');
    const defaults = { WORKER_CONCURRENCY: '1' };
    const [doomed, survivor] = await Promise.all([
      startWorker(redis.url, name, defaults),
      startWorker(redis.url, name, defaults),
    ]);
    const runner = await createBullmqRunner(redis.url, name);
    try {
      // Both workers are counted: the plan has chunks for each of them.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const job = startOne(runner, SLOW_N);
      const first = await doomed.waitForRecord((line) => line.msg === 'job started');
      await doomed.kill();
      const killedAt = Date.now();
      const retaken = await survivor.waitForRecord(
        (line) => line.msg === 'job started' && line.jobId === first.jobId,
        20_000,
      );
      // The lock expires within 4 s, the next stalled-job check within 4 s more; then the
      // survivor finishes the chunk it holds (under a second).
      expect(Number(retaken.time) - killedAt).toBeLessThan(10_000);
      expect(await job.result).toBe(knownPrime(SLOW_N));
    } finally {
      await runner.close();
      await doomed.kill();
      await survivor.stop();
    }
  });
});

describe('when a worker is stopped with SIGTERM in the middle of a job', () => {
  it('with no grace left, hands the job back at once and another worker finishes it', async () => {
    const name = freshQueueName('handback');
    const doomed = await startWorker(redis.url, name, {
      WORKER_CONCURRENCY: '1',
      SHUTDOWN_GRACE_MS: '0',
    });
    const runner = await createBullmqRunner(redis.url, name);
    let survivor: ManagedProcess | undefined;
    try {
      const job = startOne(runner, SLOW_N);
      const first = await doomed.waitForRecord((line) => line.msg === 'job started');
      const stoppedAt = Date.now();
      await doomed.stop();
      expect(await doomed.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - stoppedAt).toBeLessThan(2000);
      survivor = await startWorker(redis.url, name, { WORKER_CONCURRENCY: '1' });
      expect(await job.result).toBe(knownPrime(SLOW_N));
      expect(startedJobIds(survivor)).toContain(String(first.jobId));
    } finally {
      await runner.close();
      await survivor?.stop();
    }
  });

  it('with the default grace, finishes the job it runs before it exits', async () => {
    const name = freshQueueName('graceful');
    const worker = await startWorker(redis.url, name, { WORKER_CONCURRENCY: '1' });
    const runner = await createBullmqRunner(redis.url, name);
    try {
      const job = startOne(runner, SLOW_N);
      const first = await worker.waitForRecord((line) => line.msg === 'job started');
      await worker.stop();
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      const completed = worker.records.filter((line) => line.msg === 'job completed');
      expect(completed.map((line) => line.jobId)).toContain(first.jobId);
      // The job was a chunk of a flow or the whole n: either way nothing was handed back.
      expect(
        worker.records.some((line) => line.msg === 'grace period over, handing active jobs back'),
      ).toBe(false);
      job.cancel();
    } finally {
      await runner.close();
    }
  });
});

describe('when Redis goes away before a worker stops', () => {
  it('exits 0 soon after its grace runs out instead of waiting for Redis forever', async () => {
    const own = await startTestRedis({ own: true });
    const graceMs = 500;
    const doomed = await startWorker(own.url, freshQueueName('redis-gone'), {
      SHUTDOWN_GRACE_MS: String(graceMs),
    });
    try {
      await own.kill();
      await waitUntil(
        () => doomed.records.some((line) => JSON.stringify(line).includes('ECONNREFUSED')),
        'the worker notices Redis is gone',
      );
      const stoppedAt = Date.now();
      // Without a bound on the wait for Redis this ends in stop()'s SIGKILL, 10 s later.
      expect(await doomed.stop(10_000)).toEqual({ code: 0, signal: null });
      // The grace, then at most 2 s for a hand-back Redis cannot confirm.
      expect(Date.now() - stoppedAt).toBeLessThan(graceMs + 2_000 + 1_500);
    } finally {
      await doomed.kill();
      await own.close();
    }
  });
});

describe('when Redis is unreachable', () => {
  it('fails the dispatch with UnavailableError instead of hanging', async () => {
    const port = await freePort();
    const runner = new BullmqJobRunner(
      {
        redis: { url: `redis://127.0.0.1:${port}` },
        queuePrefix: 'twelvefa-test',
        queueName: 'unreachable',
        attempts: 1,
        backoffMs: 0,
        keepCompleted: 0,
        keepFailed: 0,
        parallelismFloor: 1,
      },
      quietLogger,
    );
    try {
      const seen: boolean[] = [];
      runner.watchReadiness((ready) => seen.push(ready))();
      expect(seen).toEqual([false]);
      const job = startOne(runner, 10_000_000);
      await expect(job.dispatched).rejects.toBeInstanceOf(UnavailableError);
      await expect(job.result).rejects.toThrow(/Redis is unreachable/);
    } finally {
      await runner.close();
    }
  });
});
