import { computePart } from '../prime/prime-count-parts.js';
import type { PrimeCountChunk, PrimeCountChunkResult } from './target-plan.js';

/**
 * Runs one chunk of a plan of either kind on this thread's WebAssembly kernels: synchronous,
 * CPU-bound, bounded by the plan (MAX_CHUNK_SECONDS, or the whole target with parallelism 1).
 */
export function computeChunk(chunk: PrimeCountChunk): PrimeCountChunkResult {
  return {
    index: chunk.index,
    results: chunk.parts.map((part) => computePart(chunk.params, part)),
  };
}
