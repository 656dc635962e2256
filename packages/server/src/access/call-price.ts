import { estimateNthPrimeSeconds } from '@twelvefa/calc';
import type { CalcRequest } from '../request/calc-calls.js';
import { checkNs, type RequestLimits } from '../request/request-checks.js';

/**
 * What a call costs a client's rate limit, in estimated milliseconds of one core's work: the
 * planner's cost estimate of each distinct heavy n (the same model that sizes its chunks), and
 * 1 for a cheap call (Add, Max, n from the small table, or a request that will be refused), so
 * that a limit means CPU time, not a number of calls. A result the server has cached costs as
 * much as a fresh one: the price must be known before the call is answered.
 */
export function callPriceMs(request: CalcRequest, limits: RequestLimits): number {
  if (request.method !== 'NthPrimes') return 1;
  let heavy: readonly number[];
  try {
    heavy = checkNs(request.n, limits).heavy;
  } catch {
    return 1;
  }
  const seconds = heavy.reduce((sum, n) => sum + estimateNthPrimeSeconds(n), 0);
  return Math.max(1, Math.ceil(seconds * 1000));
}
