// The behaviour every JobRunner promises; each implementation's test file runs it.
import { describe, expect, it } from 'vitest';
import type { JobRunner } from '../src/jobs/job-runner.js';
import { knownPrime, SLOW_N } from './helpers/known-primes.js';
import { waitUntil } from './helpers/wait-until.js';

/** Provides a fresh runner per test and closes it afterwards. */
export interface RunnerFixture {
  create(): Promise<JobRunner>;
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
        const small = runner.start(100_000);
        await small.dispatched;
        expect(await small.result).toBe(knownPrime(100_000));
        expect(await runner.start(10_000_000).result).toBe(knownPrime(10_000_000));
      }));

    it('runs distinct n side by side', () =>
      withRunner(async (runner) => {
        const ns = [1_000_000, 10_000, 1234];
        const primes = await Promise.all(ns.map((n) => runner.start(n).result));
        expect(primes).toEqual(ns.map(knownPrime));
      }));

    it('splits a very heavy n into chunks and combines them', () =>
      withRunner(async (runner) => {
        expect(await runner.start(SLOW_N).result).toBe(knownPrime(SLOW_N));
      }));

    it('rejects with an AbortError on cancel and leaves nothing pending', () =>
      withRunner(async (runner) => {
        const job = runner.start(SLOW_N);
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
