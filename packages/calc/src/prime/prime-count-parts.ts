import { composedEasyLeafSum, easyLeafSum } from './easy-leaves.js';
import { div } from './exact-division.js';
import { type HardLeafSum, hardLeafSum } from './hard-leaves.js';
import { isqrt } from './integer-root.js';
import { largePrimeSum } from './large-prime-sum.js';
import { ordinaryLeafSum } from './ordinary-leaves.js';
import type { PrimeCountParams } from './prime-count-params.js';
import type { PrimeLineSum } from './prime-line-sum.js';
import { type SigmaSum, sigmaSum } from './sigma.js';

/**
 * One independent piece of pi(x). The three once-only parts are cheap; the ranged parts tile
 * two lines: the prime line [0, x / y), easy leaves below sqrt(x) and B's terms above, and
 * the hard line [0, x / z) of D. Plain data, safe to JSON-encode and run elsewhere.
 */
export type PrimeCountPart =
  | { readonly kind: 'sigma' }
  | { readonly kind: 'ordinary-leaves' }
  | { readonly kind: 'composed-easy-leaves' }
  | { readonly kind: RangedPartKind; readonly low: number; readonly high: number };

export type RangedPartKind = 'easy-leaves' | 'large-primes' | 'hard-leaves';

/** What one part found: plain data, safe to JSON-encode. */
export type PrimeCountPartResult =
  | ({ readonly kind: 'sigma' } & SigmaSum)
  | { readonly kind: 'ordinary-leaves' | 'composed-easy-leaves'; readonly sum: number }
  | ({ readonly kind: 'easy-leaves' | 'large-primes' } & PrimeLineSum)
  | ({ readonly kind: 'hard-leaves' } & HardLeafSum);

/** Where each ranged part kind lives: [start, end). */
export function lineOf(params: PrimeCountParams, kind: RangedPartKind): readonly [number, number] {
  const sqrtX = isqrt(params.x);
  switch (kind) {
    case 'easy-leaves':
      return [0, sqrtX];
    case 'large-primes':
      // u = x / p with p > y, and y < sqrt(x) - 1 keeps x / (y + 1) below floor(x / y).
      return [sqrtX, div(params.x, params.y)];
    case 'hard-leaves':
      // u = x / (p m) with p m > z, and z < sqrt(x) - 1 keeps it below floor(x / z).
      return [0, div(params.x, params.z)];
  }
}

/** Runs one part. Synchronous and CPU-bound; its cost is bounded by its range. */
export function computePart(params: PrimeCountParams, part: PrimeCountPart): PrimeCountPartResult {
  switch (part.kind) {
    case 'sigma':
      return { kind: 'sigma', ...sigmaSum(params) };
    case 'ordinary-leaves':
      return { kind: 'ordinary-leaves', sum: ordinaryLeafSum(params) };
    case 'composed-easy-leaves':
      return { kind: 'composed-easy-leaves', sum: composedEasyLeafSum(params) };
    case 'easy-leaves':
      return { kind: 'easy-leaves', ...easyLeafSum(params, part.low, part.high) };
    case 'large-primes':
      return { kind: 'large-primes', ...largePrimeSum(params, part.low, part.high) };
    case 'hard-leaves':
      return { kind: 'hard-leaves', ...hardLeafSum(params, part.low, part.high) };
  }
}

/** Every part of pi(x) once, each line in one range: the direct computation. */
export function wholeParts(params: PrimeCountParams): PrimeCountPart[] {
  const ranged = (kind: RangedPartKind): PrimeCountPart => {
    const [low, high] = lineOf(params, kind);
    return { kind, low, high };
  };
  return [
    { kind: 'sigma' },
    { kind: 'ordinary-leaves' },
    { kind: 'composed-easy-leaves' },
    ranged('easy-leaves'),
    ranged('large-primes'),
    ranged('hard-leaves'),
  ];
}

/**
 * pi(x) from the results of parts that cover it exactly once, in any order: each line is
 * walked in order, so that every range learns the count below it from the ranges before.
 * Throws RangeError when a part is missing, repeated or overlaps another.
 */
export function combineParts(
  params: PrimeCountParams,
  results: readonly PrimeCountPartResult[],
): number {
  let sigma: SigmaSum | undefined;
  let total = 0;
  const once = new Set<string>();
  const primeLine: PrimeLineSum[] = [];
  const easy: PrimeLineSum[] = [];
  const hard: HardLeafSum[] = [];
  for (const result of results) {
    switch (result.kind) {
      case 'sigma':
      case 'ordinary-leaves':
      case 'composed-easy-leaves':
        if (once.has(result.kind)) throw new RangeError(`${result.kind} appears twice`);
        once.add(result.kind);
        if (result.kind === 'sigma') sigma = result;
        else total += result.sum;
        break;
      case 'easy-leaves':
        easy.push(result);
        primeLine.push(result);
        break;
      case 'large-primes':
        primeLine.push(result);
        break;
      case 'hard-leaves':
        hard.push(result);
        break;
    }
  }
  for (const kind of ['ordinary-leaves', 'composed-easy-leaves'] as const) {
    if (!once.has(kind)) throw new RangeError(`${kind} is missing`);
  }
  if (sigma === undefined) throw new RangeError('sigma is missing');
  checkTiling('easy-leaves', easy, lineOf(params, 'easy-leaves'));
  checkTiling('prime line', primeLine, [0, lineOf(params, 'large-primes')[1]]);
  checkTiling('hard-leaves', hard, lineOf(params, 'hard-leaves'));

  let piBefore = 0; // pi(low - 1) of the range being added
  let piSqrtX = 0;
  for (const range of primeLine) {
    total += range.constant + range.localSum + range.weight * piBefore;
    piBefore += range.primes;
    if (range.high === isqrt(params.x)) piSqrtX = piBefore + (sigma.sqrtXIsPrime ? 1 : 0);
  }
  total += sigma.value + (piSqrtX * (piSqrtX - 1)) / 2;

  const phiBefore: number[] = []; // phi(low - 1, b - 1) of the range being added, per b
  for (const range of hard) {
    for (let i = 0; i < range.counts.length; i++) {
      const before = phiBefore[i] ?? 0;
      total += range.leafSums[i]! + range.leafSigns[i]! * before;
      phiBefore[i] = before + range.counts[i]!;
    }
  }
  if (!Number.isSafeInteger(total)) throw new RangeError(`pi(${params.x}) left the exact range`);
  return total;
}

/** Sorts ranges by low and checks they tile [start, end) with no gap or overlap. */
function checkTiling(
  name: string,
  ranges: { readonly low: number; readonly high: number }[],
  [start, end]: readonly [number, number],
): void {
  ranges.sort((left, right) => left.low - right.low);
  let at = start;
  for (const range of ranges) {
    if (range.low !== at || range.high <= range.low) {
      throw new RangeError(`${name}: range [${range.low}, ${range.high}) does not follow ${at}`);
    }
    at = range.high;
  }
  if (at !== end) throw new RangeError(`${name}: ranges end at ${at}, not ${end}`);
}
