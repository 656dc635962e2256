// Published values of the nth prime (OEIS A006988 and the usual tables), so
// tests check the service against an independent source, not against itself.
export const KNOWN_PRIMES: ReadonlyMap<number, number> = new Map([
  [1, 2],
  [12, 37],
  [1234, 10061],
  [9999, 104723],
  [10_000, 104729],
  [100_000, 1_299_709],
  [1_000_000, 15_485_863],
  [10_000_000, 179_424_673],
  [1_000_000_000_000, 29_996_224_275_833],
  [10_000_000_000_000, 323_780_508_946_331],
]);

export function knownPrime(n: number): number {
  const prime = KNOWN_PRIMES.get(n);
  if (prime === undefined) throw new Error(`no known prime for n = ${n}`);
  return prime;
}

/** Heavy enough to be split into several chunks for two workers (about 1.7 s of CPU in all). */
export const SLOW_N = 10_000_000_000_000;

/** Heavy but quick: about 0.4 s of CPU, two chunks for two workers. */
export const MEDIUM_N = 1_000_000_000_000;
