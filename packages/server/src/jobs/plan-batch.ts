import { setImmediate as nextTurn } from 'node:timers/promises';
import { estimateNthPrimeSeconds, type NthPrimePlan, planNthPrimes } from '@twelvefa/calc';

/** Planning stops for the event loop after this long, so cheap calls wait at most about that. */
const SLICE_MS = 4;

/**
 * Plans a batch of distinct heavy n as one (chunks sized for `parallelism` and the whole batch's
 * work), on the calling thread but a few milliseconds at a time: about a millisecond per n
 * near 10^13, and a batch may hold a thousand.
 */
export async function planBatch(
  ns: readonly number[],
  parallelism: number,
): Promise<NthPrimePlan[]> {
  let batchSeconds = 0;
  let sliceStart = performance.now();
  const pause = async (): Promise<void> => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await nextTurn();
    sliceStart = performance.now();
  };
  for (const n of ns) {
    batchSeconds += estimateNthPrimeSeconds(n);
    await pause();
  }
  const plans: NthPrimePlan[] = [];
  for (const n of ns) {
    // Each n's estimate is kept from the first pass, so this only cuts.
    plans.push(...planNthPrimes([n], { parallelism, batchSeconds }));
    await pause();
  }
  return plans;
}
