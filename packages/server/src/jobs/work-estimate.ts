import {
  estimateTargetSeconds,
  NTH_PRIME_MAX_INDEX,
  PRIME_COUNT_MAX_X,
  type PrimeTarget,
  SMALL_COUNT_MAX_X,
  SMALL_TABLE_MAX_N,
} from '@twelvefa/calc';

/** Points of the estimate kept per decade of n or x. */
const PER_DECADE = 4;

/** One point of the estimate, in log space. */
interface Point {
  readonly logValue: number;
  readonly logSeconds: number;
}

/** Each kind's points by their index (log10 of n or x times PER_DECADE), worked out once asked. */
const points = { 'nth-prime': new Map<number, Point>(), 'prime-count': new Map<number, Point>() };

/** Each kind's range with work: past the small table, up to the largest computed. */
const RANGE = {
  'nth-prime': { smallest: SMALL_TABLE_MAX_N + 1, largest: Number(NTH_PRIME_MAX_INDEX) },
  'prime-count': { smallest: SMALL_COUNT_MAX_X + 1, largest: Number(PRIME_COUNT_MAX_X) },
};

/** The target of kind `kind` at 10^(index / PER_DECADE), kept within its range. */
function targetAt(kind: PrimeTarget['kind'], index: number): PrimeTarget {
  const { smallest, largest } = RANGE[kind];
  const value = BigInt(
    Math.min(largest, Math.max(smallest, Math.round(10 ** (index / PER_DECADE)))),
  );
  return kind === 'nth-prime' ? { kind, n: value } : { kind, x: value };
}

function pointAt(kind: PrimeTarget['kind'], index: number): Point {
  const known = points[kind];
  let point = known.get(index);
  if (point === undefined) {
    const target = targetAt(kind, index);
    const value = Number(target.kind === 'nth-prime' ? target.n : target.x);
    point = { logValue: Math.log(value), logSeconds: Math.log(estimateTargetSeconds(target)) };
    known.set(index, point);
  }
  return point;
}

/**
 * The planner's estimate of the seconds one core takes to compute a target, read off a few
 * points of it (4 a decade per kind, each worked out once, a few milliseconds, the first time
 * its range is asked) and interpolated between them in log-log space, within about 2% of the
 * planner's own figure. Pricing a call and sharing the workers estimate every heavy target of
 * it as it arrives, and up to 5,000 a call at 2 to 6 ms each would hold the event loop for
 * seconds.
 */
export function estimatedSeconds(target: PrimeTarget): number {
  const value = Number(target.kind === 'nth-prime' ? target.n : target.x);
  // Answered from the small table, without work.
  if (value <= (target.kind === 'nth-prime' ? SMALL_TABLE_MAX_N : SMALL_COUNT_MAX_X)) return 0;
  const low = Math.floor(Math.log10(value) * PER_DECADE);
  const from = pointAt(target.kind, low);
  const to = pointAt(target.kind, low + 1);
  if (to.logValue <= from.logValue) return Math.exp(from.logSeconds);
  const t = (Math.log(value) - from.logValue) / (to.logValue - from.logValue);
  return Math.exp(from.logSeconds + t * (to.logSeconds - from.logSeconds));
}
