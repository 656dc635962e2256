import { planTargets } from '@twelvefa/calc';
import { describe, expect, it } from 'vitest';
import { planBatch, RANK_SECONDS } from '../src/jobs/batch-plan.js';
import { nth, pi } from './helpers/targets.js';

describe('the plan of a batch', () => {
  it('ranks each task behind the batch’s work planned ahead of it, from the batch’s priority', async () => {
    const batch = [nth(2e12), nth(1e12 + 39), pi(5e13 + 3)];
    const plan = await planBatch(batch, { parallelism: 2, priority: 7 });
    expect(plan.tasks[0]?.rank).toBe(7);
    let ahead = 0;
    for (const task of plan.tasks) {
      expect(task.rank).toBe(7 + Math.floor(ahead / RANK_SECONDS));
      ahead += task.seconds;
    }
    // The last task waits behind the rest of the batch: tenths of a second, many ranks.
    expect(plan.tasks.at(-1)?.rank).toBe(
      7 + Math.floor((ahead - (plan.tasks.at(-1)?.seconds ?? 0)) / RANK_SECONDS),
    );
    expect(plan.tasks.at(-1)?.rank).toBeGreaterThan(7 + 10);
  });

  it.each([
    ['64 n near 1e13, about 20 s for each of two workers', 64],
    ['16 n near 1e13, one top-up of a windowed call, about 5 s each', 16],
  ])(
    'cuts a batch that would hold the workers for long into chunks of a twentieth of a second: %s',
    async (_, count) => {
      const ns = Array.from({ length: count }, (_, i) => nth(1e13 + 7919 * i));
      const plan = await planBatch(ns, { parallelism: 2, priority: 1 });
      const largest = Math.max(...plan.tasks.map((task) => task.seconds));
      expect(largest).toBeLessThan(0.1);
      // Planned alone, the same n take chunks of a third of a second and more.
      const coarse = planTargets(ns, { parallelism: 2 });
      expect(
        Math.max(...coarse.flatMap((p) => p.chunks.map((chunk) => chunk.seconds))),
      ).toBeGreaterThan(0.3);
    },
  );

  it('leaves a batch of a second or so per worker as the planner cuts it', async () => {
    const plan = await planBatch([nth(1e14)], { parallelism: 2, priority: 1 });
    const [direct] = planTargets([nth(1e14)], { parallelism: 2 });
    expect(plan.works[0]?.chunks.length).toBe(direct?.chunks.length);
  });
});
