// Runs inside a worker thread (piscina): CPU-heavy work never blocks the event
// loop that answers gRPC calls or renews BullMQ job locks.
import {
  combinePlan,
  computeChunk,
  type PrimeCountChunk,
  type PrimeCountChunkResult,
  type TargetPlan,
  warmUpNthPrime,
} from '@twelvefa/calc';

/** A unit of work for the prime pool. */
export type PrimeTask =
  /** A target's answer in one task (see wholeAnswer). */
  | { readonly kind: 'whole'; readonly plan: TargetPlan }
  | { readonly kind: 'chunk'; readonly chunk: PrimeCountChunk }
  /** The chunks' results added up to pi(x), and for the nth prime the walk to the answer. */
  | {
      readonly kind: 'combine';
      readonly plan: TargetPlan;
      readonly results: readonly PrimeCountChunkResult[];
    }
  /** Compiles the kernels before the first real task (see warmUp); returns its milliseconds. */
  | { readonly kind: 'warm-up' };

/** What a PrimeTask returns: the answer, for `chunk` the chunk's result, for `warm-up` its ms. */
export type PrimeTaskResult = bigint | PrimeCountChunkResult | number;

/**
 * A target's answer from its plan, in one go: the answer the plan holds (the small table), or
 * every chunk and then the combine.
 */
function wholeAnswer(plan: TargetPlan): bigint {
  return plan.answer !== null
    ? BigInt(plan.answer)
    : combinePlan(plan, plan.chunks.map(computeChunk));
}

/**
 * A fresh thread would spend its first heavy task compiling the kernels and building the
 * tables it keeps: warmUpNthPrime does both (for n up to 10^14, and the x of its pi; a larger
 * one grows the tables on its own time) before the thread takes real work.
 */
function warmUp(): number {
  return warmUpNthPrime();
}

export default function runPrimeTask(task: PrimeTask): PrimeTaskResult {
  switch (task.kind) {
    case 'whole':
      return wholeAnswer(task.plan);
    case 'chunk':
      return computeChunk(task.chunk);
    case 'combine':
      return combinePlan(task.plan, task.results);
    case 'warm-up':
      return warmUp();
  }
}
