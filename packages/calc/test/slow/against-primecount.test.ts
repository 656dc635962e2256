import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nthPrimeExact } from '../../src/index.js';

/** Debian's primecount (7.6), an independent implementation; null when it cannot run. */
function primecount(n: bigint): bigint | null {
  const result = spawnSync('primecount', ['--nth-prime', String(n)], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  return BigInt(result.stdout.trim());
}

describe('random n in (10^14, 10^16] against primecount', () => {
  it('agree with `primecount --nth-prime n`, one n per decade', () => {
    // The oracle is required, not optional: .ci/run installs it.
    expect(primecount(10n), 'primecount on PATH (apt-get install primecount)').toBe(29n);
    for (const [low, high] of [
      [14, 15],
      [15, 16],
    ] as const) {
      const [n] = fc.sample(
        fc.bigInt({ min: 10n ** BigInt(low) + 1n, max: 10n ** BigInt(high) }),
        1,
      ) as [bigint];
      expect(nthPrimeExact(n), `p(${n})`).toBe(primecount(n));
    }
  }, 900_000);
});
