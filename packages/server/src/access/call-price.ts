import type { PrimeTarget } from '@twelvefa/calc';
import { estimatedSeconds } from '../jobs/work-estimate.js';
import type { CalcRequest } from '../request/calc-calls.js';
import { checkTargets, type RequestLimits } from '../request/request-checks.js';

/**
 * What one heavy target (an n or an x) costs besides its computation, in ms: its job's way through the API, Redis
 * and a worker. 2,560 n just above INLINE_MAX_N, 40 calls of 64, took 2.3-3.9 ms of their CPU
 * each on the 2-core development machine (packages/attack/test/call-pricing.test.ts) for
 * 0.2 ms of computation: priced above the usual 3 ms, so that a limit bounds what is spent...
 */
export const JOB_OVERHEAD_MS = 4;
/**
 * ...and the share of a split target's work its chunk jobs and their combine add: about 2 ms per
 * chunk (`npm run bench:breakdown`), and chunks average 0.03 s or more (calc's
 * MIN_CHUNK_SECONDS, the server's fair chunks).
 */
export const SPLIT_OVERHEAD = 0.07;

/**
 * What a call costs a client's rate limit, in estimated milliseconds of one core's work: for
 * each distinct heavy target the planner's cost estimate (work-estimate.ts: the model that
 * sizes its chunks) with its jobs' overhead, so that many cheap jobs are not free; 1 for a cheap
 * call (Add, Max, n or x from the small table, or a request that will be refused). A limit thus means CPU time, not a
 * number of calls. A result the server has cached costs as much as a fresh one: the price must
 * be known before the call is answered.
 */
export function callPriceMs(request: CalcRequest, limits: RequestLimits): number {
  if (request.method !== 'NthPrimes' && request.method !== 'PrimePi') return 1;
  let heavy: readonly PrimeTarget[];
  try {
    heavy = checkTargets(request, limits).heavy;
  } catch {
    return 1;
  }
  const ms = heavy.reduce(
    (sum, target) => sum + JOB_OVERHEAD_MS + estimatedSeconds(target) * 1000 * (1 + SPLIT_OVERHEAD),
    0,
  );
  return Math.max(1, Math.ceil(ms));
}
