import { describe, expect, it } from 'vitest';
import { EmbeddedJobRunner } from '../src/jobs/embedded-job-runner.js';
import { knownPrime, SLOW_N } from './helpers/known-primes.js';
import { nth } from './helpers/targets.js';
import { waitUntil } from './helpers/wait-until.js';
import { describeJobRunnerContract, startOne } from './job-runner-contract.js';

describeJobRunnerContract('embedded', {
  create: async () => new EmbeddedJobRunner({ threads: 2 }),
  parallelism: 2,
});

describe('when an embedded job is cancelled', () => {
  it('drops its queued chunks and stops its running thread', async () => {
    // Two threads plan chunks; one of them is busy with another n, so chunks wait.
    const runner = new EmbeddedJobRunner({ threads: 2 });
    const busy = startOne(runner, 900_000_000_001);
    try {
      const job = startOne(runner, SLOW_N);
      await waitUntil(() => runner.queuedCount() > 0, 'chunks wait for the only thread');
      job.cancel();
      await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
      await waitUntil(
        () => runner.queuedCount() === 0 && runner.pendingCount() === 0,
        'no chunk is queued or running',
      );
      await busy.result;
    } finally {
      await runner.close();
    }
  });
});

describe("when one client's requests arrive together", () => {
  it('finishes them in the order they came, each before the next starts', async () => {
    const runner = new EmbeddedJobRunner({ threads: 2 });
    try {
      // Each about 0.6 s, cut in chunks for two threads. The registry queues a client's later
      // request behind its work in flight (a worse priority); interleaved chunks would finish
      // them together.
      const ns = [1e13, 1e13 + 1, 1e13 + 2, 1e13 + 3];
      const finished: number[] = [];
      const jobs = ns.map((n, i) => {
        const [job] = runner.start([nth(n)], { priority: 1 + i * 1_000 });
        if (job === undefined) throw new Error('start() returned no job');
        return job;
      });
      await Promise.all(jobs.map((job, i) => job.result.then(() => finished.push(i))));
      expect(finished).toEqual([0, 1, 2, 3]);
      expect(await jobs[0]!.result).toBe(knownPrime(1e13));
    } finally {
      await runner.close();
    }
  });
});
