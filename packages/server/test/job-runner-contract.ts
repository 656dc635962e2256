// The behaviour every JobRunner promises; each implementation's test file runs it.
import { describe, expect, it } from 'vitest';
import { planBatch } from '../src/jobs/batch-plan.js';
import type { JobRunner, PrimeJob } from '../src/jobs/job-runner.js';
import { knownPrime, SLOW_N } from './helpers/known-primes.js';
import { nth, pi } from './helpers/targets.js';
import { waitUntil } from './helpers/wait-until.js';

/** Provides a fresh runner per test and closes it afterwards. */
export interface RunnerFixture {
  create(): Promise<JobRunner>;
  /** The parallelism the runner plans for (threads, or the workers' concurrency and the floor). */
  readonly parallelism: number;
}

/** The job of a batch of one: the nth prime of n. */
export function startOne(runner: JobRunner, n: number): PrimeJob {
  const [job] = runner.start([nth(n)]);
  if (job === undefined) throw new Error('start() returned no job');
  return job;
}

export function describeJobRunnerContract(name: string, fixture: RunnerFixture): void {
  describe(`the ${name} job runner contract`, () => {
    const withRunner = async (test: (runner: JobRunner) => Promise<void>): Promise<void> => {
      const runner = await fixture.create();
      try {
        await test(runner);
      } finally {
        await runner.close();
      }
    };

    it('computes the nth prime of n below and above the small table', () =>
      withRunner(async (runner) => {
        const small = startOne(runner, 100_000);
        await small.dispatched;
        expect(await small.result).toBe(knownPrime(100_000));
        expect(await startOne(runner, 10_000_000).result).toBe(knownPrime(10_000_000));
      }));

    it('runs distinct n side by side, one batch or several', () =>
      withRunner(async (runner) => {
        const ns = [1_000_000, 10_000, 1234];
        const separately = await Promise.all(ns.map((n) => startOne(runner, n).result));
        expect(separately).toEqual(ns.map(knownPrime));
        const batch = runner.start([10_000_000, 1_000_000_000_000, 12].map(nth));
        expect(await Promise.all(batch.map((job) => job.result))).toEqual(
          [10_000_000, 1_000_000_000_000, 12].map(knownPrime),
        );
      }));

    it('splits a very heavy n into chunks and combines them', () =>
      withRunner(async (runner) => {
        expect(await startOne(runner, SLOW_N).result).toBe(knownPrime(SLOW_N));
      }));

    it('counts the primes up to x, in a batch with nth primes, split or whole (OEIS A006880)', () =>
      withRunner(async (runner) => {
        const targets = [pi(10n ** 13n), pi(10n ** 9n), nth(12), pi(100_000_000n)];
        const jobs = runner.start(targets);
        expect(await Promise.all(jobs.map((job) => job.result))).toEqual([
          346065536839n,
          50847534n,
          37n,
          5761455n,
        ]);
      }));

    it("reports progress in the batch plan's parts, from none done to all of them", () =>
      withRunner(async (runner) => {
        const plan = await planBatch([nth(SLOW_N)], {
          parallelism: fixture.parallelism,
          priority: 1,
        });
        const parts = plan.works[0]!.parts;
        // A split n: every chunk and the combine step.
        expect(parts).toBe(plan.works[0]!.chunks.length + 1);
        const job = startOne(runner, SLOW_N);
        const seen: [number, number][] = [];
        job.watch((done, total) => seen.push([done, total]));
        expect(await job.result).toBe(knownPrime(SLOW_N));
        await waitUntil(() => seen.at(-1)?.[0] === parts, 'the last part is reported');
        expect(seen.every(([, total]) => total === parts)).toBe(true);
        expect(seen.map(([done]) => done)).toEqual(
          [...seen.map(([done]) => done)].sort((a, b) => a - b),
        );
      }));

    it('rejects with an AbortError on cancel and leaves nothing pending', () =>
      withRunner(async (runner) => {
        const job = startOne(runner, SLOW_N);
        await job.dispatched;
        job.cancel();
        job.cancel();
        await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
        await waitUntil(() => runner.pendingCount() === 0, 'nothing is pending');
      }));

    it('reports itself ready and closes twice without error', async () => {
      const runner = await fixture.create();
      const seen: boolean[] = [];
      const stop = runner.watchReadiness((ready) => seen.push(ready));
      await waitUntil(() => seen.at(-1) === true, 'the runner is ready');
      stop();
      await runner.close();
      await runner.close();
    });
  });
}
