import { describe, expect, it } from 'vitest';
import { EmbeddedJobRunner } from '../src/jobs/embedded-job-runner.js';
import { SLOW_N } from './helpers/known-primes.js';
import { waitUntil } from './helpers/wait-until.js';
import { describeJobRunnerContract } from './job-runner-contract.js';

describeJobRunnerContract('embedded', {
  create: async () => new EmbeddedJobRunner({ threads: 2 }),
});

describe('when an embedded job is cancelled', () => {
  it('drops its queued chunks and stops its running thread', async () => {
    const runner = new EmbeddedJobRunner({ threads: 1 });
    try {
      const job = runner.start(SLOW_N);
      await waitUntil(() => runner.queuedCount() > 0, 'chunks wait for the only thread');
      job.cancel();
      await expect(job.result).rejects.toMatchObject({ name: 'AbortError' });
      await waitUntil(
        () => runner.queuedCount() === 0 && runner.pendingCount() === 0,
        'no chunk is queued or running',
      );
    } finally {
      await runner.close();
    }
  });
});
