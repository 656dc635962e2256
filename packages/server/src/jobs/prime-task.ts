// Runs inside a worker thread (piscina): CPU-heavy work never blocks the event
// loop that answers gRPC calls or renews BullMQ job locks.
import {
  combineNthPrime,
  computeChunk,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  type NthPrimePlan,
  nthPrime,
  warmUpNthPrime,
} from '@twelvefa/calc';

/** A unit of work for the prime pool. */
export type PrimeTask =
  /** The nth prime of n in one task (see nthPrimeOf). */
  | { readonly kind: 'whole'; readonly n: number; readonly plan: NthPrimePlan | null }
  | { readonly kind: 'chunk'; readonly chunk: NthPrimeChunk }
  /** The walk from the chunks' results to the answer. */
  | {
      readonly kind: 'combine';
      readonly plan: NthPrimePlan;
      readonly results: readonly NthPrimeChunkResult[];
    }
  /** Compiles the kernels before the first real task (see warmUp); returns its milliseconds. */
  | { readonly kind: 'warm-up' };

/** What a PrimeTask returns: the prime, or for `chunk` the chunk's result. */
export type PrimeTaskResult = number | NthPrimeChunkResult;

/**
 * The nth prime of n from its plan, in one go: without a plan (n within the small table) from
 * the thread's own table, otherwise every chunk and then the walk to the answer.
 */
function nthPrimeOf(n: number, plan: NthPrimePlan | null): number {
  return plan === null ? nthPrime(n) : combineNthPrime(plan, plan.chunks.map(computeChunk));
}

/**
 * A fresh thread would spend its first heavy task compiling the kernels and building the
 * tables it keeps: warmUpNthPrime does both (for n up to 10^14; a larger n grows the tables on
 * its own time) before the thread takes real work.
 */
function warmUp(): number {
  return warmUpNthPrime();
}

export default function runPrimeTask(task: PrimeTask): PrimeTaskResult {
  switch (task.kind) {
    case 'whole':
      return nthPrimeOf(task.n, task.plan);
    case 'chunk':
      return computeChunk(task.chunk);
    case 'combine':
      return combineNthPrime(task.plan, task.results);
    case 'warm-up':
      return warmUp();
  }
}
