import type { PrimeTarget } from '@twelvefa/calc';

/** The target of the nth prime, from a number or bigint n. */
export function nth(n: number | bigint): PrimeTarget {
  return { kind: 'nth-prime', n: BigInt(n) };
}

/** The target of pi(x). */
export function pi(x: number | bigint): PrimeTarget {
  return { kind: 'prime-count', x: BigInt(x) };
}

/** Limits for tests of the request path, the service's defaults but for what is given. */
export const TEST_LIMITS = {
  inlineMaxN: 4_000_000,
  maxN: 10n ** 16n,
  inlineMaxX: 67_867_967,
  maxX: 5n * 10n ** 17n,
  maxBatch: 1000,
} as const;
