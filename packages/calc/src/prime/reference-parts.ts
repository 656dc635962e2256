import { composedEasyLeafSum, easyLeafSum } from './easy-leaves.js';
import { div } from './exact-division.js';
import { hardLeafSum } from './hard-leaves.js';
import { isqrt } from './integer-root.js';
import { largePrimeSum } from './large-prime-sum.js';
import { ordinaryLeafSum } from './ordinary-leaves.js';
import { type PrimeCountParams, referenceParams } from './prime-count-params.js';
import type { PrimeCountPart, PrimeCountPartResult } from './prime-count-parts.js';
import { sigmaSum } from './sigma.js';

/**
 * The TypeScript reference path of the prime count: the same parts as the WebAssembly kernels
 * (prime-count-parts.ts) in plain TypeScript on doubles, exact for x <= REFERENCE_MAX_X
 * (4 * 10^15). It is what the kernels are tested against; results come in the same JSON shape.
 */
export function computeReferencePart(
  params: PrimeCountParams,
  part: PrimeCountPart,
): PrimeCountPartResult {
  const reference = referenceParams(params);
  const text = (value: number): string => {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} left the exact range`);
    return String(value);
  };
  switch (part.kind) {
    case 'sigma': {
      const { value, sqrtXIsPrime } = sigmaSum(reference);
      return { kind: 'sigma', value: text(value), sqrtXIsPrime };
    }
    case 'ordinary-leaves':
      return { kind: 'ordinary-leaves', sum: text(ordinaryLeafSum(reference)) };
    case 'composed-easy-leaves':
      return { kind: 'composed-easy-leaves', sum: text(composedEasyLeafSum(reference)) };
    case 'easy-leaves':
    case 'large-primes': {
      const compute = part.kind === 'easy-leaves' ? easyLeafSum : largePrimeSum;
      const sum = compute(reference, part.low, part.high);
      return {
        kind: part.kind,
        ...sum,
        localSum: text(sum.localSum),
        constant: text(sum.constant),
      };
    }
    case 'hard-leaves': {
      const sum = hardLeafSum(reference, part.low, part.high);
      return { kind: 'hard-leaves', ...sum, leafSums: sum.leafSums.map(text) };
    }
  }
}

/** The reference's own line ends (as prime-count-parts.ts lineOf, on doubles). */
export function referenceLineOf(
  params: PrimeCountParams,
  kind: PrimeCountPart['kind'],
): readonly [number, number] {
  const { x, y, z } = referenceParams(params);
  const sqrtX = isqrt(x);
  if (kind === 'easy-leaves') return [0, sqrtX];
  if (kind === 'large-primes') return [sqrtX, div(x, y)];
  return [0, div(x, z)];
}
