import { estimateNthPrimeSeconds } from '@twelvefa/calc';
import { type CalcRequest, checkNs, type RequestLimits } from '../calc-request.js';

/**
 * What one heavy n costs besides its computation, in ms: its job's way through the API, Redis
 * and a worker (about 0.1 ms of their CPU for a job of the smallest heavy n, measured with 2,560
 * of them on the 2-core development machine, priced with room for a busier one)...
 */
export const JOB_OVERHEAD_MS = 0.5;
/**
 * ...and the share of a split n's work its chunk jobs and their combine add (planning, chunk
 * data, progress: about 2 ms of API and Redis CPU per chunk of 0.2 s or more,
 * `npm run bench:breakdown`).
 */
export const SPLIT_OVERHEAD = 0.02;

/**
 * What a call costs a client's rate limit, in estimated milliseconds of one core's work: for
 * each distinct heavy n the planner's cost estimate (the same model that sizes its chunks) with
 * its jobs' overhead, so that many cheap jobs are not free; 1 for a cheap call (Add, Max, n
 * from the small table, or a request that will be refused). A limit thus means CPU time, not a
 * number of calls. A result the server has cached costs as much as a fresh one: the price must
 * be known before the call is answered.
 */
export function callPriceMs(request: CalcRequest, limits: RequestLimits): number {
  if (request.method !== 'NthPrimes') return 1;
  let heavy: readonly number[];
  try {
    heavy = checkNs(request.n, limits).heavy;
  } catch {
    return 1;
  }
  const ms = heavy.reduce(
    (sum, n) => sum + JOB_OVERHEAD_MS + estimateNthPrimeSeconds(n) * 1000 * (1 + SPLIT_OVERHEAD),
    0,
  );
  return Math.max(1, Math.ceil(ms));
}
