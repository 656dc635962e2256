import type { PrimeCountPart } from '../prime/prime-count-parts.js';
import { chunkLabel } from './chunk-label.js';
import { alignDown, type CostCurve, secondsBetween } from './cost-curve.js';
import type { PrimeCountChunk } from './target-plan.js';

/** How much larger than the mean the first chunk is, and smaller the last. */
export const SKEW = 0.5;

const ONCE_PARTS: readonly PrimeCountPart[] = [
  { kind: 'sigma' },
  { kind: 'ordinary-leaves' },
  { kind: 'composed-easy-leaves' },
];

/** A point of the concatenated lines: position `at` of line `line`. */
interface Cut {
  readonly line: number;
  readonly at: number;
}

/**
 * Cuts a pi(x), the once parts and then the lines in order, into `count` chunks of falling
 * estimated cost (fewer when the curve cannot be cut that finely). The once parts stay together
 * in the first chunk; a chunk may end one line and start the next. `minChunk` bounds the skew:
 * no chunk falls below 0.6 of it unless the mean does.
 */
export function cutChunks(curve: CostCurve, count: number, minChunk: number): PrimeCountChunk[] {
  const { params, lines, total } = curve;
  // Chunk j's share falls from (1 + skew) to (1 - skew) times the mean: workers that pull
  // chunks in plan order then end on small ones, so the last to finish waits little for the rest.
  // Less skew where the mean is small, so that no chunk drops below 0.6 of the floor.
  const mean = total / count;
  const skew = Math.max(0, Math.min(SKEW, 1 - (0.6 * minChunk) / mean));
  const share = (j: number): number => (1 + skew * (1 - (2 * j) / (count - 1))) / count;
  const cuts: Cut[] = [];
  let before = 0;
  for (let j = 1; j < count; j++) {
    before += share(j - 1);
    const cut = cutAt(curve, total * before);
    const last = cuts[cuts.length - 1];
    if (cut !== null && (last === undefined || cut.line > last.line || cut.at > last.at))
      cuts.push(cut);
  }
  const points: Cut[] = [{ line: 0, at: lines[0]!.bounds[0]! }, ...cuts];
  const end = lines[lines.length - 1]!;
  points.push({ line: lines.length - 1, at: end.bounds[end.bounds.length - 1]! });
  const pieces: { parts: PrimeCountPart[]; seconds: number }[] = [];
  for (let c = 0; c + 1 < points.length; c++) {
    const from = points[c]!;
    const to = points[c + 1]!;
    const parts: PrimeCountPart[] = c === 0 ? [...ONCE_PARTS] : [];
    let seconds = c === 0 ? curve.once : 0;
    for (let l = from.line; l <= to.line; l++) {
      const line = lines[l]!;
      const low = l === from.line ? from.at : line.bounds[0]!;
      const high = l === to.line ? to.at : line.bounds[line.bounds.length - 1]!;
      if (high <= low) continue;
      parts.push({ kind: line.kind, low, high });
      seconds += secondsBetween(line, low, high);
    }
    pieces.push({ parts, seconds });
  }
  return pieces.map(({ parts, seconds }, index) => ({
    index,
    count: pieces.length,
    label: chunkLabel(params, parts),
    params,
    parts,
    seconds,
  }));
}

/** Where the concatenated lines reach `seconds` (after the once parts); null inside them. */
function cutAt(curve: CostCurve, seconds: number): Cut | null {
  let left = seconds - curve.once;
  if (left <= 0) return null;
  for (let l = 0; l < curve.lines.length; l++) {
    const line = curve.lines[l]!;
    if (left >= line.total) {
      left -= line.total;
      continue;
    }
    for (let i = 0; i < line.seconds.length; i++) {
      const cell = line.seconds[i]!;
      if (left >= cell) {
        left -= cell;
        continue;
      }
      // Within a cell the cost is taken as even.
      const low = line.bounds[i]!;
      const high = line.bounds[i + 1]!;
      const at = alignDown(low + (high - low) * (left / cell));
      return { line: l, at: Math.max(line.bounds[0]!, at) };
    }
  }
  return null;
}
