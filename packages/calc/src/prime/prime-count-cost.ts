import { div } from './exact-division.js';
import { icbrt, iroot4, isqrt } from './integer-root.js';
import type { ReferenceParams } from './prime-count-params.js';
import type { RangedPartKind } from './prime-count-parts.js';
import { primesUpTo } from './sieve.js';

/**
 * What a range of a line costs, as counts of the operations its code repeats, estimated from the
 * densities of primes and leaves without doing the work. workSeconds() weighs them.
 */
export interface WorkCounts {
  /** Numbers of the range: filled, presieved, counted. */
  readonly numbers: number;
  /** Multiples crossed off one at a time. */
  readonly crossings: number;
  /** Leaves (or B's terms) whose phi or pi is found one by one. */
  readonly leaves: number;
  /** Runs of clustered easy leaves, each counted at once. */
  readonly runs: number;
}

/**
 * Nanoseconds per unit of work of the WebAssembly kernels on one core of the machine in
 * docs/benchmarks.md, fitted to measured ranges by `npm run bench:calibrate` in packages/calc
 * (the medians of four runs on the AMD VM, 2026-12-07).
 * Only ratios and rough seconds matter: the planner cuts chunks of equal estimated cost and
 * sizes them in seconds, and a rate limiter prices calls by them.
 */
const NANOSECONDS: Record<RangedPartKind, WorkCounts> = {
  'hard-leaves': { numbers: 0, crossings: 0.48, leaves: 6.7, runs: 0 },
  'easy-leaves': { numbers: 0.11, leaves: 1.64, crossings: 0, runs: 2.13 },
  'large-primes': { numbers: 0, crossings: 0.3, leaves: 5.0, runs: 0 },
};
/**
 * Per z for the ordinary leaves, per composed-leaf candidate, per sqrt(x) of the walk: fitted by
 * `npm run bench:calibrate` too (it prints the factor to scale them by).
 */
const ORDINARY_NS_PER_Z = 0.76;
const COMPOSED_NS_PER_CANDIDATE = 1.63;
const WALK_NS_PER_ROOT = 0.25;

/** Estimated seconds of a range's work. */
export function workSeconds(kind: RangedPartKind, work: WorkCounts): number {
  const ns = NANOSECONDS[kind];
  return (
    (ns.numbers * work.numbers +
      ns.crossings * work.crossings +
      ns.leaves * work.leaves +
      ns.runs * work.runs) *
    1e-9
  );
}

/** Estimates the work of one range of a line. */
export type LineWork = (low: number, high: number) => WorkCounts;

/**
 * Consecutive primes standing for each other in the estimate: one prime each below 200, then
 * runs a few percent wide (the densities change little across one), never across a threshold
 * where the leaves change kind.
 */
interface PrimeGroup {
  /** The group's middle prime. */
  readonly p: number;
  readonly count: number;
  /** Sum of 1/p over the group. */
  readonly reciprocal: number;
  /** The share of numbers coprime to 30 with no prime factor in [7, p]. */
  readonly delta: number;
}

/** Covers every group: x^(1/3) < 2^20 for x <= PRIME_COUNT_MAX_X, and so do sqrt(x / y) and sqrt(z). */
const GROUPED_PRIMES_LIMIT = 1 << 20;
let groupedPrimes: Uint32Array | undefined;

function primeGroups(from: number, to: number, thresholds: readonly number[]): PrimeGroup[] {
  const groups: PrimeGroup[] = [];
  let primes: number[] = [];
  let deltas: number[] = [];
  const close = (): void => {
    if (primes.length === 0) return;
    const middle = primes.length >> 1;
    groups.push({
      p: primes[middle]!,
      count: primes.length,
      reciprocal: primes.reduce((sum, q) => sum + 1 / q, 0),
      delta: deltas[middle]!,
    });
    primes = [];
    deltas = [];
  };
  let delta = 1;
  groupedPrimes ??= primesUpTo(GROUPED_PRIMES_LIMIT);
  for (const p of groupedPrimes) {
    if (p > to) break;
    if (p >= 7) delta *= 1 - 1 / p;
    if (p <= from) continue;
    const first = primes[0];
    if (
      first !== undefined &&
      (p < 200 || p > first * 1.03 || thresholds.some((t) => first <= t && p > t))
    ) {
      close();
    }
    primes.push(p);
    deltas.push(delta);
  }
  close();
  return groups;
}

/** Roughly how many primes lie in (a, b]: the density 1 / ln v, integrated at the middle. */
function primesBetween(a: number, b: number): number {
  if (b <= a || b < 2) return 0;
  const lo = Math.max(a, 2);
  return (b - lo) / Math.log((lo + b) / 2);
}

/**
 * The leaves x / (p q) = u with q prime in (qLow, qHigh] and u in [low, high): q in
 * (max(qLow, x / (p high)), min(qHigh, x / (p low))].
 */
function leavesOfPrime(
  x: number,
  p: number,
  qLow: number,
  qHigh: number,
  low: number,
  high: number,
): number {
  return primesBetween(Math.max(qLow, x / (p * high)), Math.min(qHigh, x / (p * Math.max(low, 1))));
}

/**
 * Hard line: the sieve crosses off p < min(x^(1/4), sqrt(x / u)) (no leaf has a larger p), the
 * smallest of them followed by a count of every block (the crossings' weight carries that: fitted
 * beside them, a weight per number comes out negative, and bench:calibrate drops it);
 * composite m (p <= sqrt(z)) are the share delta(p) of (max(z / p, x / (p high)), min(z, x / p^3,
 * x / (p low))] with no factor up to p, less the primes above y.
 */
function hardWork(params: ReferenceParams): LineWork {
  const { x, y, z } = params;
  const x14 = iroot4(x);
  const sqrtZ = isqrt(z);
  const groups = primeGroups(16, x14, [sqrtZ]);
  const reciprocalUpTo = (top: number): number =>
    groups.reduce((sum, g) => (g.p <= top ? sum + g.reciprocal : sum), 0);
  const all = reciprocalUpTo(x14);
  return (low, high) => {
    // Half the numbers (odd ones) times sum 1/p, split where sqrt(x / u) passes x^(1/4).
    const knee = Math.min(high, Math.max(low, x / (x14 * x14)));
    let crossings = ((knee - low) / 2) * all;
    if (high > knee)
      crossings += ((high - knee) / 2) * reciprocalUpTo(Math.sqrt(x / ((knee + high) / 2)));
    let leaves = 0;
    for (const { p, count, delta } of groups) {
      if (p <= sqrtZ) {
        const from = Math.max(z / p, x / (p * high));
        const to = Math.min(z, x / (p * p * p), x / (p * Math.max(low, 1)));
        if (to > from) {
          leaves += count * (((to - from) * 8 * delta) / 30 - primesBetween(Math.max(from, y), to));
        }
      } else {
        leaves += count * leavesOfPrime(x, p, p, Math.min(y, x / (p * p * p)), low, high);
      }
    }
    return { numbers: high - low, crossings, leaves, runs: 0 };
  };
}

/**
 * Easy line: A's leaves (x* < p <= x^(1/3), p < q <= sqrt(x / p)), C2's sparse leaves
 * (q <= sqrt(x / p)) and runs of clustered ones (about one per prime value of u).
 */
function easyWork(params: ReferenceParams): LineWork {
  const { x, y, z, xStar } = params;
  const minC2 = Math.max(isqrt(z), icbrt(div(x, y)));
  const groups = primeGroups(minC2, icbrt(x), [xStar]);
  return (low, high) => {
    let leaves = 0;
    let runs = 0;
    for (const { p, count } of groups) {
      const sqrtXp = Math.sqrt(x / p);
      if (p > xStar) {
        leaves += count * leavesOfPrime(x, p, p, sqrtXp, low, high);
      } else {
        const qLow = Math.max(p, x / (p * p * p));
        const qHigh = Math.min(y, x / (p * p));
        leaves += count * leavesOfPrime(x, p, qLow, Math.min(qHigh, sqrtXp), low, high);
        // Clustered: q in (sqrt(x / p), qHigh], so u in [x / (p qHigh), sqrt(x / p)).
        runs += count * primesBetween(Math.max(low, x / (p * qHigh)), Math.min(high, sqrtXp));
      }
    }
    return { numbers: high - low, crossings: 0, leaves, runs };
  };
}

/** The largest prime the kernels' presieve removes (assembly/wheel.ts, PRESIEVED_UP_TO). */
const PRESIEVED_UP_TO = 97;

/**
 * B's line: a full sieve, primes above the presieve's crossed off up to sqrt(u), and a sieve of
 * the p whose x / p lie in the range, (max(y, x / high), min(sqrt(x), x / low)].
 */
function largePrimeWork(params: ReferenceParams): LineWork {
  const { x, y } = params;
  const end = div(params.x, params.y);
  const groups = primeGroups(PRESIEVED_UP_TO, isqrt(end) + 1, []);
  const reciprocalUpTo = (top: number): number =>
    groups.reduce((sum, g) => (g.p <= top ? sum + g.reciprocal : sum), 0);
  return (low, high) => {
    const pFrom = Math.max(y, x / high);
    const pTo = Math.min(Math.sqrt(x), x / low);
    const pSpan = Math.max(0, pTo - pFrom);
    const crossings =
      ((high - low) / 2) * reciprocalUpTo(Math.sqrt((low + high) / 2)) +
      (pSpan / 2) * reciprocalUpTo(Math.sqrt(pTo));
    return { numbers: high - low + pSpan, crossings, leaves: primesBetween(pFrom, pTo), runs: 0 };
  };
}

/** The work estimator of a line of pi(x). */
export function lineWork(params: ReferenceParams, kind: RangedPartKind): LineWork {
  switch (kind) {
    case 'hard-leaves':
      return hardWork(params);
    case 'easy-leaves':
      return easyWork(params);
    case 'large-primes':
      return largePrimeWork(params);
  }
}

/** What the parts computed once cost: Phi0 is linear in z; C1 visits about m delta(p) candidates per prime p. */
export function onceWork(params: ReferenceParams): { readonly seconds: number } {
  const { x, z } = params;
  const low = Math.cbrt(x / z);
  let delta = 1;
  let candidates = 0;
  groupedPrimes ??= primesUpTo(GROUPED_PRIMES_LIMIT);
  for (const p of groupedPrimes) {
    if (p > Math.sqrt(z)) break;
    delta *= 1 - 1 / p;
    if (p <= low) continue;
    const maxM = Math.min(x / (p * p), z);
    if (maxM > Math.max(x / (p * p * p), z / p)) candidates += maxM * delta;
  }
  return { seconds: (ORDINARY_NS_PER_Z * z + COMPOSED_NS_PER_CANDIDATE * candidates) * 1e-9 };
}

/** Estimated seconds of the parts computed once (Sigma, the ordinary leaves, the composed easy leaves). */
export function oncePartsSeconds(params: ReferenceParams): number {
  return onceWork(params).seconds;
}

/** Estimated seconds of the walk from x to the nth prime: mostly its sieving primes up to sqrt(x). */
export function walkSeconds(x: number): number {
  return WALK_NS_PER_ROOT * Math.sqrt(x) * 1e-9;
}
