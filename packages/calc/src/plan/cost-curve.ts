import { lineWork, oncePartsSeconds, workSeconds } from '../prime/prime-count-cost.js';
import { approximateParams, type PrimeCountParams } from '../prime/prime-count-params.js';
import { lineOf, type RangedPartKind } from '../prime/prime-count-parts.js';

/** The lines in the order chunks are cut from them. */
export const LINES: readonly RangedPartKind[] = ['easy-leaves', 'large-primes', 'hard-leaves'];
/** Cells per line for the cost estimate; cubic spacing puts most where the leaves are dense. */
const CELLS = 64;

/** A line split into cells with each cell's estimated seconds. */
export interface LineCurve {
  readonly kind: RangedPartKind;
  /** Cell boundaries, ascending, from the line's start to its end. */
  readonly bounds: readonly number[];
  readonly seconds: readonly number[];
  readonly total: number;
}

/** The estimated cost of a pi(x), along its lines: what the planner cuts chunks from. */
export interface CostCurve {
  readonly params: PrimeCountParams;
  /** Seconds of the parts computed once. */
  readonly once: number;
  readonly lines: readonly LineCurve[];
  /** Seconds of everything: the once parts and every line. */
  readonly total: number;
}

/**
 * The cost curve of pi(x) for these parameters, from the cost model's densities (no work done;
 * a few milliseconds warm, as each line's estimator is set up once).
 */
export function costCurve(params: PrimeCountParams): CostCurve {
  const approximate = approximateParams(params);
  const lines = LINES.map((kind): LineCurve => {
    const [start, end] = lineOf(params, kind);
    const work = lineWork(approximate, kind);
    const bounds = [start];
    for (let i = 1; i < CELLS; i++) {
      const at = alignDown(start + (end - start) * (i / CELLS) ** 3);
      if (at > bounds[bounds.length - 1]!) bounds.push(at);
    }
    bounds.push(end);
    const seconds = bounds.slice(1).map((high, i) => workSeconds(kind, work(bounds[i]!, high)));
    return { kind, bounds, seconds, total: seconds.reduce((sum, s) => sum + s, 0) };
  });
  const once = oncePartsSeconds(approximate);
  return { params, once, lines, total: once + lines.reduce((sum, line) => sum + line.total, 0) };
}

/** Ranges start at multiples of 64, as the sieves' words need. */
export function alignDown(u: number): number {
  return Math.floor(u / 64) * 64;
}

/** Estimated seconds of [low, high) of a line, cells counted in proportion where cut. */
export function secondsBetween(line: LineCurve, low: number, high: number): number {
  let seconds = 0;
  for (let i = 0; i < line.seconds.length; i++) {
    const a = line.bounds[i]!;
    const b = line.bounds[i + 1]!;
    const overlap = Math.min(b, high) - Math.max(a, low);
    if (overlap > 0) seconds += (line.seconds[i]! * overlap) / (b - a);
  }
  return seconds;
}
