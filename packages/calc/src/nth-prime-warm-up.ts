import { validateIndex, validateN } from './nth-prime-input.js';
import { combineNthPrimeExact, computeChunk, planNthPrime } from './nth-prime-plan.js';
import { primeCountParams } from './prime/prime-count-params.js';
import { tablesLimit } from './prime/prime-count-parts.js';
import { inverseRiemannR } from './prime/riemann-r.js';
import { primeKernels } from './prime/wasm-kernels.js';
import { smallPrimeTable } from './small-prime-table.js';

/** What warmUpNthPrime prepares for. */
export interface NthPrimeWarmUpOptions {
  /**
   * The largest n the thread expects: its prime and pi tables and the hard leaves' factor table
   * are built to cover it (a larger n grows them on its own time). Default 10^14.
   */
  readonly upToN?: bigint | number;
}

/** An n whose computation runs every kernel and the glue around it in a few milliseconds. */
const EXERCISE_N = 123_456_789;

/**
 * Makes this thread ready to compute: compiles the WebAssembly kernels optimised and
 * instantiates them, builds the small table, the kernels' tables for n up to `upToN`, and runs
 * one small computation through the planner, every part kind and the walk. After it the first
 * heavy call runs as fast as later ones (docs/benchmarks.md). A compute thread calls it once at
 * start; returns the milliseconds it took. Throws like validateIndex.
 */
export function warmUpNthPrime(options: NthPrimeWarmUpOptions = {}): number {
  const started = performance.now();
  const upToN = validateIndex(options.upToN ?? 1e14);
  const kernels = primeKernels();
  smallPrimeTable();
  if (upToN > 4_000_000n) {
    const params = primeCountParams(BigInt(inverseRiemannR(Number(upToN))));
    kernels.tables(tablesLimit(params));
    kernels.factors(params.z);
  }
  const plan = planNthPrime(EXERCISE_N, { chunks: 3 });
  combineNthPrimeExact(plan, plan.chunks.map(computeChunk));
  return performance.now() - started;
}

/**
 * The number API's warm-up, kept for its callers: warmUpNthPrime({ upToN: n }). Throws like
 * validateN.
 */
export function prepareNthPrimeTables(n: number): void {
  validateN(n);
  warmUpNthPrime({ upToN: n });
}
