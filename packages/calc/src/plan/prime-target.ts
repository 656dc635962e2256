import { InvalidArgumentError } from '../errors.js';
import { validateIndex } from '../nth-prime-input.js';
import { validateX } from '../prime-count-input.js';

/** The nth prime (the 1st is 2), 1 <= n <= NTH_PRIME_MAX_INDEX. */
export interface NthPrimeTarget {
  readonly kind: 'nth-prime';
  readonly n: bigint;
}

/** pi(x), the number of primes <= x, 0 <= x <= PRIME_COUNT_MAX_X. */
export interface PrimeCountTarget {
  readonly kind: 'prime-count';
  readonly x: bigint;
}

/** A heavy computation the planner cuts into chunks: both kinds are a pi(x) underneath. */
export type PrimeTarget = NthPrimeTarget | PrimeCountTarget;

/**
 * The target with its number checked (and made a bigint, for callers without types): throws like
 * validateIndex (n) or validateX (x), and InvalidArgumentError for an unknown kind.
 */
export function validateTarget(target: PrimeTarget): PrimeTarget {
  switch (target.kind) {
    case 'nth-prime':
      return { kind: 'nth-prime', n: validateIndex(target.n) };
    case 'prime-count':
      return { kind: 'prime-count', x: validateX(target.x) };
    default:
      throw new InvalidArgumentError(
        `unknown target kind ${JSON.stringify((target as { kind: unknown }).kind)}`,
      );
  }
}

/** A key naming the target (caches, logs): "n=1000", "x=1000". */
export function targetKey(target: PrimeTarget): string {
  return target.kind === 'nth-prime' ? `n=${target.n}` : `x=${target.x}`;
}
