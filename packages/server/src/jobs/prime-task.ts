// Runs inside a worker thread (piscina): CPU-heavy work never blocks the event
// loop that answers gRPC calls or renews BullMQ job locks.
import {
  combineNthPrime,
  computeChunk,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  type NthPrimePlan,
  nthPrime,
  planNthPrime,
  prepareNthPrimeTables,
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
 * n of the warm-up's computations: x above 2^32, so the kernels are compiled for the doubles
 * real work uses, yet a fraction of a second on one core.
 */
const WARM_UP_NS = [2e10 + 7, 2e10 + 9];

/**
 * The tables built ahead cover every n up to here (the walk's sieving primes: 15 MiB a thread);
 * a larger n grows them on its own time.
 */
const PREPARED_N = 1e14;

/**
 * A fresh thread spends its first heavy task compiling the kernels (V8 optimises a function
 * only after it ran hot) and building tables it keeps. This builds the tables, then runs every
 * part kind, as chunks and combined, and the walk, so the first real request finds them ready.
 */
function warmUp(): number {
  const started = performance.now();
  prepareNthPrimeTables(PREPARED_N);
  for (const n of WARM_UP_NS) nthPrimeOf(n, planNthPrime(n, { chunks: 3 }));
  return performance.now() - started;
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
