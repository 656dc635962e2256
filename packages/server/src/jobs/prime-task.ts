// Runs inside a worker thread (piscina): CPU-heavy work never blocks the event
// loop that answers gRPC calls or renews BullMQ job locks.
import {
  computeChunk,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  nthPrime,
} from '@twelvefa/calc';

/** A unit of work for the prime pool. */
export type PrimeTask =
  | { readonly kind: 'nth-prime'; readonly n: number }
  | { readonly kind: 'chunk'; readonly chunk: NthPrimeChunk };

/** What a PrimeTask returns: the prime for `nth-prime`, the chunk result for `chunk`. */
export type PrimeTaskResult = number | NthPrimeChunkResult;

export default function runPrimeTask(task: PrimeTask): PrimeTaskResult {
  return task.kind === 'nth-prime' ? nthPrime(task.n) : computeChunk(task.chunk);
}
