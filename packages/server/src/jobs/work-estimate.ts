import { estimateNthPrimeSeconds, NTH_PRIME_MAX_N, SMALL_TABLE_MAX_N } from '@twelvefa/calc';

/** Points of the estimate kept per decade of n. */
const PER_DECADE = 4;

/** One point of the estimate, in log space. */
interface Point {
  readonly logN: number;
  readonly logSeconds: number;
}

/** Each point by its index (log10 of n times PER_DECADE), worked out once asked. */
const points = new Map<number, Point>();

function pointAt(index: number): Point {
  let point = points.get(index);
  if (point === undefined) {
    const n = Math.min(
      NTH_PRIME_MAX_N,
      Math.max(SMALL_TABLE_MAX_N + 1, Math.round(10 ** (index / PER_DECADE))),
    );
    point = { logN: Math.log(n), logSeconds: Math.log(estimateNthPrimeSeconds(n)) };
    points.set(index, point);
  }
  return point;
}

/**
 * The planner's estimate of the seconds one core takes to find the nth prime, read off a few
 * points of it (4 a decade, each worked out once, about 5 ms, the first time its range is
 * asked) and interpolated between them in log-log space, within about 2% of the planner's own
 * figure. Pricing a call and sharing the workers estimate every heavy n of it as it arrives,
 * and up to 5,000 n a call at 2 to 6 ms each would hold the event loop for seconds.
 */
export function estimatedSeconds(n: number): number {
  if (n <= SMALL_TABLE_MAX_N) return 0;
  const low = Math.floor(Math.log10(n) * PER_DECADE);
  const from = pointAt(low);
  const to = pointAt(low + 1);
  if (to.logN <= from.logN) return Math.exp(from.logSeconds);
  const t = (Math.log(n) - from.logN) / (to.logN - from.logN);
  return Math.exp(from.logSeconds + t * (to.logSeconds - from.logSeconds));
}
