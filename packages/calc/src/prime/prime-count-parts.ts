import { isqrtBig } from './integer-root.js';
import type { PrimeCountParams } from './prime-count-params.js';
import { primeKernels } from './wasm-kernels.js';

/**
 * One independent piece of pi(x). The three once-only parts are cheap; the ranged parts tile
 * two lines: the prime line [0, x / y), easy leaves below sqrt(x) and B's terms above, and
 * the hard line [0, x / z) of D. Plain data, safe to JSON-encode and run elsewhere: the lines
 * end below x^(2/3) < 2^53, so low and high are numbers.
 */
export type PrimeCountPart =
  | { readonly kind: 'sigma' }
  | { readonly kind: 'ordinary-leaves' }
  | { readonly kind: 'composed-easy-leaves' }
  | { readonly kind: RangedPartKind; readonly low: number; readonly high: number };

export type RangedPartKind = 'easy-leaves' | 'large-primes' | 'hard-leaves';

/**
 * A sum of pi(u) terms over the u of one range [low, high) of the prime line, computed without
 * knowing pi(low - 1): the true sum is constant + localSum + weight * pi(low - 1), where
 * localSum counts the primes from low on. `primes` (the primes in [low, high)) gives the next
 * range its pi(low - 1), so ranges computed anywhere add up in order. The sums can pass 2^53:
 * decimal strings.
 */
export interface PrimeLineSum {
  readonly low: number;
  readonly high: number;
  readonly primes: number;
  readonly localSum: string;
  readonly weight: number;
  readonly constant: string;
}

/**
 * D restricted to the leaves whose u lies in [low, high). For each b = k + 1 + i: counts[i] is
 * how many numbers of [low, high) have no factor among p_1 .. p_{b-1}, leafSums[i] the sum of
 * -mu(m) phi(u, b - 1) over b's leaves with phi counted from low (a decimal string: it can
 * pass 2^53), leafSigns[i] the sum of their -mu(m); the true sum of b's leaves is leafSums[i] +
 * leafSigns[i] * phi(low - 1, b - 1), those phi coming from earlier ranges' counts.
 */
export interface HardLeafSum {
  readonly low: number;
  readonly high: number;
  readonly counts: number[];
  readonly leafSums: string[];
  readonly leafSigns: number[];
}

/** What one part found: plain data, safe to JSON-encode; sums that can pass 2^53 are decimal strings. */
export type PrimeCountPartResult =
  | { readonly kind: 'sigma'; readonly value: string; readonly sqrtXIsPrime: boolean }
  | { readonly kind: 'ordinary-leaves' | 'composed-easy-leaves'; readonly sum: string }
  | ({ readonly kind: 'easy-leaves' | 'large-primes' } & PrimeLineSum)
  | ({ readonly kind: 'hard-leaves' } & HardLeafSum);

/** Where each ranged part kind lives: [start, end). */
export function lineOf(params: PrimeCountParams, kind: RangedPartKind): readonly [number, number] {
  const x = BigInt(params.x);
  switch (kind) {
    case 'easy-leaves':
      return [0, Number(isqrtBig(x))];
    case 'large-primes':
      // u = x / p with p > y, and y < sqrt(x) - 1 keeps x / (y + 1) below floor(x / y).
      return [Number(isqrtBig(x)), Number(x / BigInt(params.y))];
    case 'hard-leaves':
      // u = x / (p m) with p m > z, and z < sqrt(x) - 1 keeps it below floor(x / z).
      return [0, Number(x / BigInt(params.z))];
  }
}

/** Beyond the largest lookup, far enough to hold the next prime (gaps below 2^32 are under 400). */
const NEXT_PRIME_MARGIN = 512;

/**
 * How far the kernels' prime and pi tables must reach for pi(x): z (the composed easy leaves look
 * pi up below z), sqrt(x / x*) (A's second prime) and x / (x* y) (Sigma4), with room for the
 * prime after each. At n = 10^16 about 2.2 * 10^7: 1.5 MiB of pi table, 5.5 MiB of primes and
 * 11 MiB of their inverses.
 */
export function tablesLimit(params: PrimeCountParams): number {
  const x = BigInt(params.x);
  const xStar = BigInt(params.xStar);
  return (
    Math.max(params.z, Number(isqrtBig(x / xStar)), Number(x / (xStar * BigInt(params.y)))) +
    NEXT_PRIME_MARGIN
  );
}

/** Runs one part on the WebAssembly kernels. Synchronous and CPU-bound; its cost is bounded by its range. */
export function computePart(params: PrimeCountParams, part: PrimeCountPart): PrimeCountPartResult {
  const kernels = primeKernels();
  const limit = tablesLimit(params);
  kernels.tables(limit, limit);
  kernels.inverses(limit);
  const x = BigInt(params.x);
  const { y, z, k, xStar } = params;
  switch (part.kind) {
    case 'sigma': {
      const value = kernels.sigma(x, y, xStar);
      return {
        kind: 'sigma',
        value: value.toString(),
        sqrtXIsPrime: kernels.sigmaSqrtXIsPrime() !== 0,
      };
    }
    case 'ordinary-leaves':
      return { kind: 'ordinary-leaves', sum: kernels.ordinaryLeaves(x, y, z, k).toString() };
    case 'composed-easy-leaves':
      return {
        kind: 'composed-easy-leaves',
        sum: kernels.composedEasyLeaves(x, y, z, k).toString(),
      };
    case 'easy-leaves': {
      const { low, high } = part;
      const primes = kernels.easyLeaves(x, y, z, k, xStar, low, high);
      return {
        kind: 'easy-leaves',
        low,
        high,
        primes,
        localSum: kernels.easyLocal().toString(),
        weight: kernels.easyWeightOf(),
        constant: kernels.easyConstantOf().toString(),
      };
    }
    case 'large-primes': {
      const { low, high } = part;
      const primes = kernels.largePrimes(x, y, low, high);
      return {
        kind: 'large-primes',
        low,
        high,
        primes,
        localSum: (-kernels.largeLocal()).toString(),
        weight: -kernels.largeCount(),
        constant: '0',
      };
    }
    case 'hard-leaves': {
      const { low, high } = part;
      const count = kernels.hardLeaves(x, y, z, k, xStar, low, high);
      const values = new BigInt64Array(kernels.memory.buffer, kernels.hardResult(), 3 * count);
      const counts: number[] = [];
      const leafSums: string[] = [];
      const leafSigns: number[] = [];
      for (let i = 0; i < count; i++) {
        counts.push(Number(values[i]!));
        leafSums.push(values[count + i]!.toString());
        leafSigns.push(Number(values[2 * count + i]!));
      }
      return { kind: 'hard-leaves', low, high, counts, leafSums, leafSigns };
    }
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
 * Exact (BigInt) whatever x. Throws RangeError when a part is missing, repeated or overlaps
 * another, or a value is not an integer.
 */
export function combineParts(
  params: PrimeCountParams,
  results: readonly PrimeCountPartResult[],
): bigint {
  let sigma: { value: string; sqrtXIsPrime: boolean } | undefined;
  let total = 0n;
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
        else total += integer(result.sum);
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

  const sqrtX = lineOf(params, 'easy-leaves')[1];
  let piBefore = 0n; // pi(low - 1) of the range being added
  let piSqrtX = 0n;
  for (const range of primeLine) {
    total += integer(range.constant) + integer(range.localSum) + integer(range.weight) * piBefore;
    piBefore += integer(range.primes);
    if (range.high === sqrtX) piSqrtX = piBefore + (sigma.sqrtXIsPrime ? 1n : 0n);
  }
  total += integer(sigma.value) + (piSqrtX * (piSqrtX - 1n)) / 2n;

  const phiBefore: bigint[] = []; // phi(low - 1, b - 1) of the range being added, per b
  for (const range of hard) {
    for (let i = 0; i < range.counts.length; i++) {
      const before = phiBefore[i] ?? 0n;
      total += integer(range.leafSums[i]) + integer(range.leafSigns[i]) * before;
      phiBefore[i] = before + integer(range.counts[i]);
    }
  }
  return total;
}

/** A result's integer, given as a number or a decimal string; throws RangeError otherwise. */
function integer(value: number | string | undefined): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new RangeError(`${String(value)} is not an integer`);
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
