// Runs inside a worker thread (piscina): CPU-heavy work never blocks the event
// loop that answers gRPC calls or renews BullMQ job locks.
import {
  combineNthPrime,
  computeChunk,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  type NthPrimePlan,
  nthPrime,
} from '@twelvefa/calc';

/** A unit of work for the prime pool. */
export type PrimeTask =
  /** n within the small table: the thread answers from its own copy. */
  | { readonly kind: 'table'; readonly n: number }
  /** A plan of one chunk: the chunk and the walk to the answer, together. */
  | { readonly kind: 'whole'; readonly plan: NthPrimePlan }
  | { readonly kind: 'chunk'; readonly chunk: NthPrimeChunk }
  /** The walk from the chunks' results to the answer. */
  | {
      readonly kind: 'combine';
      readonly plan: NthPrimePlan;
      readonly results: readonly NthPrimeChunkResult[];
    };

/** What a PrimeTask returns: the prime, or for `chunk` the chunk's result. */
export type PrimeTaskResult = number | NthPrimeChunkResult;

export default function runPrimeTask(task: PrimeTask): PrimeTaskResult {
  switch (task.kind) {
    case 'table':
      return nthPrime(task.n);
    case 'whole':
      return combineNthPrime(task.plan, task.plan.chunks.map(computeChunk));
    case 'chunk':
      return computeChunk(task.chunk);
    case 'combine':
      return combineNthPrime(task.plan, task.results);
  }
}
