import { isqrt } from './integer-root.js';
import { computeEasyPart, type EasyPart } from './prime-count-easy.js';
import { computeHardPart, HARD_SEGMENT, type HardPartResult } from './prime-count-hard.js';
import type { PrimeCountParams } from './prime-count-params.js';
import { primesUpTo } from './sieve.js';
import { countAtMost } from './sorted-search.js';

/** One independent piece of pi(x): plain data, safe to JSON-encode and run elsewhere. */
export type PrimeCountChunk =
  | { readonly kind: 'easy'; readonly params: PrimeCountParams; readonly part: EasyPart }
  | {
      readonly kind: 'hard';
      readonly params: PrimeCountParams;
      readonly low: number;
      readonly high: number;
    };

/** What one chunk found: plain data, safe to JSON-encode. */
export type PrimeCountChunkResult =
  | { readonly kind: 'easy'; readonly sum: number }
  | ({ readonly kind: 'hard'; readonly low: number } & HardPartResult);

/** Runs one chunk. Synchronous and CPU-bound; its cost is bounded by the plan. */
export function computePrimeCountChunk(chunk: PrimeCountChunk): PrimeCountChunkResult {
  if (chunk.kind === 'easy')
    return { kind: 'easy', sum: computeEasyPart(chunk.params, chunk.part) };
  return { kind: 'hard', low: chunk.low, ...computeHardPart(chunk.params, chunk.low, chunk.high) };
}

/** Splits pi(x) into `easyChunks` easy and `hardChunks` hard chunks. */
export function splitPrimeCount(
  params: PrimeCountParams,
  easyChunks: number,
  hardChunks: number,
): PrimeCountChunk[] {
  const chunks: PrimeCountChunk[] = [];
  const bounds = easyBounds(params, easyChunks);
  for (let i = 0; i + 1 < bounds.length; i++) {
    chunks.push({
      kind: 'easy',
      params,
      part: { bFrom: bounds[i]!, bTo: bounds[i + 1]!, withS1AndP2: i === 0 },
    });
  }
  const end = params.z + 2 - (params.z % 2); // even, and above z
  for (const [low, high] of hardBounds(end, hardChunks)) {
    chunks.push({ kind: 'hard', params, low, high });
  }
  return chunks;
}

/** Adds the chunks' results up to pi(x). Results may come in any order. */
export function combinePrimeCount(
  params: PrimeCountParams,
  results: readonly PrimeCountChunkResult[],
): number {
  let sum = params.a - 1;
  const hard: Array<{ readonly low: number } & HardPartResult> = [];
  for (const result of results) {
    if (result.kind === 'easy') sum += result.sum;
    else hard.push(result);
  }
  hard.sort((left, right) => left.low - right.low);
  const bCount = Math.max(0, params.bHardMax - params.c);
  const phiBefore = new Array<number>(bCount).fill(0);
  for (const part of hard) {
    for (let k = 0; k < bCount; k++) {
      sum += part.leafSums[k]! + part.leafSigns[k]! * phiBefore[k]!;
      phiBefore[k]! += part.counts[k]!;
    }
  }
  return sum;
}

/**
 * Boundaries of b ranges for the easy chunks, cut where the estimated work (leaves visited, plus
 * S1 and P2 for the first chunk) reaches equal shares.
 */
function easyBounds(params: PrimeCountParams, parts: number): number[] {
  const { x, y, c, a } = params;
  const first = c + 1;
  if (parts <= 1 || a - first < parts) return [first, a];
  const primes = primesUpTo(y);
  const sqrtY = isqrt(y);
  const piAtMost = (v: number) => countAtMost(primes, v);
  const costs: number[] = [];
  for (let b = first; b < a; b++) {
    const p = primes[b - 1]!;
    const hardBound = Math.floor(x / (p * p * p));
    if (p <= sqrtY) costs.push(Math.max(0, y - Math.max(Math.floor(y / p), hardBound)));
    else {
      const top = Math.min(y, Math.floor(x / (p * p)));
      costs.push(1 + Math.max(0, piAtMost(top) - piAtMost(Math.max(p, hardBound))));
    }
  }
  const fixed = y + isqrt(x) / 2; // S1 and P2, done by the first chunk
  const total = costs.reduce((sum, cost) => sum + cost, fixed);
  const bounds = [first];
  let running = fixed;
  for (let i = 0; i < costs.length && bounds.length < parts; i++) {
    running += costs[i]!;
    if (running >= (total * bounds.length) / parts) bounds.push(first + i + 1);
  }
  if (bounds[bounds.length - 1] !== a) bounds.push(a);
  return bounds;
}

/** Segment-aligned boundaries splitting [0, end) into ranges of roughly equal work. */
function hardBounds(end: number, parts: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let low = 0;
  for (let i = 1; i <= parts; i++) {
    // Leaves are denser at small u: make ranges grow geometrically-ish (square law).
    const fraction = (i / parts) ** 2;
    let high = i === parts ? end : Math.floor((end * fraction) / HARD_SEGMENT) * HARD_SEGMENT;
    if (high <= low) continue;
    if (high > end) high = end;
    ranges.push([low, high]);
    low = high;
  }
  return ranges;
}
