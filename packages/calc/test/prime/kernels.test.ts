import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { warmUpNthPrime } from '../../src/nth-prime-warm-up.js';
import { isqrtBig } from '../../src/prime/integer-root.js';
import {
  defaultAlphas,
  MIN_PRIME_COUNT_X,
  type PrimeCountParams,
  primeCountParams,
  REFERENCE_MAX_X,
} from '../../src/prime/prime-count-params.js';
import {
  combineParts,
  computePart,
  lineOf,
  type PrimeCountPart,
  type PrimeCountPartResult,
  type RangedPartKind,
  wholeParts,
} from '../../src/prime/prime-count-parts.js';
import { nthPrimeNear, nthPrimeNearExact } from '../../src/prime/prime-walk.js';
import { computeReferencePart } from '../../src/prime/reference-parts.js';
import { primesUpTo } from '../../src/prime/sieve.js';

// The WebAssembly kernels against the TypeScript reference path, part by part, on random x up
// to 4 * 10^15 (where the reference is exact) and random ranges of each line.

const KINDS: readonly RangedPartKind[] = ['easy-leaves', 'large-primes', 'hard-leaves'];

/** x spread evenly in log scale over [10^5, 4 * 10^15]. */
const arbitraryX = fc
  .double({ min: Math.log(MIN_PRIME_COUNT_X), max: Math.log(REFERENCE_MAX_X), noNaN: true })
  .map((log) => BigInt(Math.min(REFERENCE_MAX_X, Math.floor(Math.exp(log)))));

/** A range of the line of `kind` at most `width` long, its low a multiple of 64 (as the reference needs). */
function rangeOf(
  params: PrimeCountParams,
  kind: RangedPartKind,
  at: number,
  width: number,
): PrimeCountPart {
  const [start, end] = lineOf(params, kind);
  const low = Math.min(end - 1, start + Math.floor(((end - start) * at) / 64) * 64);
  const aligned = kind === 'large-primes' && low === start ? start : low - (low % 64);
  const high = Math.min(end, aligned + Math.max(64, Math.floor(width)));
  return { kind, low: aligned, high };
}

/**
 * Whether b still has hard leaves at or above u = high: the counts of the b that have none are
 * never used by the combine, and the two paths stop counting them at different places.
 */
function liveAt(params: PrimeCountParams, p: bigint, high: number, piSqrtZ: bigint): boolean {
  const x = BigInt(params.x);
  const xp = x / p;
  const bound = [xp / BigInt(Math.max(high, 1)), xp / p / p];
  const top = p <= piSqrtZ ? [...bound, BigInt(params.z)] : [...bound, BigInt(params.y)];
  // Math.min takes no bigint.
  return top.every((bound) => p < bound);
}

const smallPrimes = primesUpTo(1 << 20);

function expectSameHardLeaves(
  params: PrimeCountParams,
  kernel: PrimeCountPartResult,
  reference: PrimeCountPartResult,
): void {
  if (kernel.kind !== 'hard-leaves' || reference.kind !== 'hard-leaves') throw new Error('kind');
  expect(kernel.leafSums).toEqual(reference.leafSums);
  expect(kernel.leafSigns).toEqual(reference.leafSigns);
  // The largest prime <= sqrt(z), as the p of the composite m end there.
  const sqrtZ = Number(isqrtBig(BigInt(params.z)));
  const lastComposite = BigInt([...smallPrimes].filter((p) => p <= sqrtZ).pop() ?? 0);
  for (let i = 0; i < reference.counts.length; i++) {
    const p = BigInt(smallPrimes[params.k + i]!);
    if (liveAt(params, p, reference.high, lastComposite)) {
      expect(kernel.counts[i], `count of p = ${p}`).toBe(reference.counts[i]);
    }
  }
}

describe('the WebAssembly kernels', () => {
  it('give the reference results for the once parts on random x up to 4 * 10^15', () => {
    fc.assert(
      fc.property(arbitraryX, (x) => {
        const params = primeCountParams(x);
        for (const part of wholeParts(params).filter((p) => !('low' in p))) {
          expect(computePart(params, part)).toEqual(computeReferencePart(params, part));
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it('give the reference results on random ranges of every line, any tuning', () => {
    fc.assert(
      fc.property(
        arbitraryX,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.integer({ min: 64, max: 400_000 }),
        (x, share, at, alphaScale, width) => {
          const alphas = defaultAlphas(Number(x));
          const alphaY = Math.max(1, alphas.alphaY * alphaScale * (0.5 + share));
          const params = primeCountParams(x, { alphaY, alphaZ: 1 + 3 * share });
          for (const kind of KINDS) {
            const part = rangeOf(params, kind, at, width);
            const kernel = computePart(params, part);
            const reference = computeReferencePart(params, part);
            if (kind === 'hard-leaves') expectSameHardLeaves(params, kernel, reference);
            else expect(kernel).toEqual(reference);
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  it('give the reference count of pi(x) for random tilings of the lines', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_PRIME_COUNT_X, max: 2e11 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        (x, cuts) => {
          const params = primeCountParams(x);
          const parts: PrimeCountPart[] = wholeParts(params).filter((part) => !('low' in part));
          for (const kind of KINDS) {
            const [start, end] = lineOf(params, kind);
            const bounds = [
              ...new Set([
                start,
                ...cuts.map((c) => start + Math.floor(((end - start) * c) / 64) * 64),
                end,
              ]),
            ].sort((a, b) => a - b);
            for (let i = 0; i + 1 < bounds.length; i++) {
              if (bounds[i + 1]! > bounds[i]!)
                parts.push({ kind, low: bounds[i]!, high: bounds[i + 1]! });
            }
          }
          const kernel = parts.map((part) => computePart(params, part)).reverse();
          const whole = wholeParts(params).map((part) => computeReferencePart(params, part));
          expect(combineParts(params, kernel)).toBe(combineParts(params, whole));
        },
      ),
      { numRuns: 15 },
    );
  }, 60_000);

  it('walk to the nth prime as the reference walk does, up or down', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10_000_000, max: 2e11 }),
        fc.integer({ min: -20_000, max: 20_000 }),
        (x, delta) => {
          const count = Number(
            combineParts(
              primeCountParams(x),
              wholeParts(primeCountParams(x)).map((part) => computePart(primeCountParams(x), part)),
            ),
          );
          const n = count + delta;
          expect(nthPrimeNearExact(BigInt(n), BigInt(x), BigInt(count))).toBe(
            BigInt(nthPrimeNear(n, x, count)),
          );
        },
      ),
      { numRuns: 20 },
    );
  }, 60_000);

  it('give the reference results for small x after tables were built for large x', () => {
    // The tables and the factor table only grow: a thread that computed 10^14 keeps them.
    warmUpNthPrime({ upToN: 1e14 });
    fc.assert(
      fc.property(fc.integer({ min: MIN_PRIME_COUNT_X, max: 1e10 }), (x) => {
        const params = primeCountParams(x);
        for (const part of wholeParts(params)) {
          const kernel = computePart(params, part);
          const reference = computeReferencePart(params, part);
          if (part.kind === 'hard-leaves') expectSameHardLeaves(params, kernel, reference);
          else expect(kernel).toEqual(reference);
        }
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('are ready after the warm-up, which reports its milliseconds', () => {
    const ms = warmUpNthPrime({ upToN: 1e12 });
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThan(10_000);
  });
});
