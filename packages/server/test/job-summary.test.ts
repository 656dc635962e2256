import { SMALL_TABLE_MAX_N } from '@twelvefa/calc';
import type { FlowJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { summarizeJob, withSummary } from '../src/dashboard/job-summary.js';
import { planBatch } from '../src/jobs/batch-plan.js';
import { primeFlow } from '../src/jobs/prime-flow.js';
import type { ChunkJobData, CombineJobData } from '../src/jobs/prime-job.js';
import type { PrimeTarget } from '../src/jobs/prime-target.js';
import { nth, pi } from './helpers/targets.js';

const N = 10_000_000_000_000;
const PRIME = '323780508946331';

/** The jobs the API queues for a target on `parallelism` workers: the flow's parent and its children. */
async function flowOf(target: PrimeTarget, parallelism: number): Promise<FlowJob> {
  const plan = await planBatch([target], { parallelism, priority: 1 });
  return primeFlow(plan.works[0]!, 'summary', {});
}

describe('the summary of a prime job', () => {
  it('gives a chunk its part, its range in the formula and where its result goes', async () => {
    const flow = await flowOf(nth(N), 2);
    const data = flow.children?.[1]?.data as ChunkJobData;
    expect(
      summarizeJob({
        data,
        returnValue: { index: 1, results: [] },
        processedOn: 1000,
        finishedOn: 1250,
      }),
    ).toEqual({
      target: `n=${N}`,
      job: `part 2 of ${flow.children?.length}`,
      range: data.label,
      estimated: `${data.chunk.seconds.toFixed(2)} s`,
      actual: '0.25 s',
      answer: `partial sums, combined by nth-prime-${N}`,
    });
    expect(data.label).toMatch(/^pi\(\d+\): /);
  });

  it('gives the combine the walk, with what the plan leaves of its estimate after the chunks', async () => {
    const flow = await flowOf(nth(N), 2);
    const data = flow.data as CombineJobData;
    const x = data.plan.params?.x;
    const parts = flow.children?.length;
    const chunks = data.plan.chunks.reduce((sum, chunk) => sum + chunk.seconds, 0);
    const summary = summarizeJob({
      data,
      returnValue: { target: `n=${N}`, answer: PRIME },
      processedOn: 5000,
      finishedOn: 5040,
    });
    expect(summary).toEqual({
      target: `n=${N}`,
      job: `combine of ${parts} parts`,
      range: `pi(${x}) from parts 1 to ${parts}, then the walk from ${x} to p(${N})`,
      estimated: `${(data.plan.seconds - chunks).toFixed(2)} s`,
      actual: '0.04 s',
      answer: PRIME,
    });
  });

  it('gives a count its combine, with no walk after it', async () => {
    const flow = await flowOf(pi(10n ** 15n), 2);
    const data = flow.data as CombineJobData;
    const summary = summarizeJob({
      data,
      returnValue: { target: 'x=1000000000000000', answer: '29844570422669' },
    });
    expect(summary).toMatchObject({
      target: 'x=1000000000000000',
      range: `pi(1000000000000000) from parts 1 to ${flow.children?.length}`,
      answer: '29844570422669',
    });
  });

  it('says a whole job is whole, and how long it has been running', async () => {
    const flow = await flowOf(nth(N), 1);
    expect(flow.children).toBeUndefined();
    expect(summarizeJob({ data: flow.data, processedOn: 1000 }, 13_500)).toMatchObject({
      job: 'whole',
      range: expect.stringMatching(
        new RegExp(`^pi\\(\\d+\\), then the walk from \\d+ to p\\(${N}\\)$`),
      ),
      actual: 'running for 12.5 s',
      answer: 'not yet',
    });
    const small = await flowOf(nth(SMALL_TABLE_MAX_N), 2);
    expect(summarizeJob({ data: small.data })).toMatchObject({
      range: `p(${SMALL_TABLE_MAX_N}) from the small table`,
      estimated: '0.00 s',
      actual: 'not started',
    });
  });

  it('tells a failure from a failed attempt that a retry made good', async () => {
    const { data } = await flowOf(nth(N), 1);
    const failed = { data, failedReason: 'cancelled', processedOn: 1, finishedOn: 2 };
    expect(summarizeJob(failed)?.answer).toBe('failed: cancelled');
    expect(summarizeJob({ ...failed, finishedOn: null })?.answer).toBe(
      'not yet (an attempt failed: cancelled)',
    );
    const retried = { ...failed, returnValue: { target: `n=${N}`, answer: PRIME } };
    expect(summarizeJob(retried)?.answer).toBe(PRIME);
  });

  it('puts the summary first and the raw data below it, and leaves other jobs alone', async () => {
    const { data } = await flowOf(nth(N), 2);
    const job = { id: 'nth-prime-1', name: 'n', data };
    const shown = withSummary(job);
    expect(Object.keys(shown.data as object)).toEqual(['summary', 'raw']);
    expect((shown.data as { raw: unknown }).raw).toBe(data);
    const other = { id: 'x', data: { email: 'someone' } };
    expect(withSummary(other)).toBe(other);
  });
});
