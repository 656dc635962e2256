import { nthPrimeExact } from './nth-prime.js';
import { validateIndex, validateN } from './nth-prime-input.js';
import { primeCountParams } from './prime/prime-count-params.js';
import { tablesLimit } from './prime/prime-count-parts.js';
import { inverseRiemannR } from './prime/riemann-r.js';
import { primeKernels } from './prime/wasm-kernels.js';
import { SMALL_TABLE_LIMIT, SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';

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
 * instantiates them, builds in one pass the pi table of the small table and the tables for n up
 * to `upToN` (pi, primes, inverses, the hard leaves' factor table), and runs one small
 * computation through every part kind, the combine and the walk. After it the first heavy call
 * runs as fast as later ones (docs/benchmarks.md: about 0.1 s on one core). A compute thread
 * calls it once at start; returns the milliseconds it took. Throws like validateIndex.
 */
export function warmUpNthPrime(options: NthPrimeWarmUpOptions = {}): number {
  const started = performance.now();
  const upToN = validateIndex(options.upToN ?? 1e14);
  const kernels = primeKernels();
  if (upToN > BigInt(SMALL_TABLE_MAX_N)) {
    const params = primeCountParams(BigInt(inverseRiemannR(Number(upToN))));
    const limit = tablesLimit(params);
    kernels.tables(Math.max(SMALL_TABLE_LIMIT, limit), limit);
    kernels.inverses(limit);
    kernels.factors(params.z);
  }
  smallPrimeTable();
  nthPrimeExact(EXERCISE_N);
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
