// Published values of the nth prime (OEIS A006988 and the usual tables), so
// tests check the service against an independent source, not against itself.
export const KNOWN_PRIMES: ReadonlyMap<number, bigint> = new Map([
  [1, 2n],
  [12, 37n],
  [1234, 10061n],
  [9999, 104723n],
  [10_000, 104729n],
  [100_000, 1_299_709n],
  [1_000_000, 15_485_863n],
  [10_000_000, 179_424_673n],
  [1_000_000_000_000, 29_996_224_275_833n],
  [10_000_000_000_000, 323_780_508_946_331n],
  [100_000_000_000_000, 3_475_385_758_524_527n],
]);

export function knownPrime(n: number): bigint {
  const prime = KNOWN_PRIMES.get(n);
  if (prime === undefined) throw new Error(`no known prime for n = ${n}`);
  return prime;
}

/**
 * Heavy enough to be split into several chunks for two workers, each over 0.1 s, and to be
 * still running after 300 ms on two threads (about 1.4 s of CPU in all, 12 chunks).
 */
export const SLOW_N = 100_000_000_000_000;

/** Heavy but quick: about 0.08 s of CPU, two chunks for two workers. */
export const MEDIUM_N = 1_000_000_000_000;

// Published values of pi(x), the number of primes up to x (OEIS A006880).
export const KNOWN_PI: ReadonlyMap<bigint, bigint> = new Map([
  [10n, 4n],
  [100n, 25n],
  [1_000_000n, 78_498n],
  [10n ** 12n, 37_607_912_018n],
  [10n ** 13n, 346_065_536_839n],
  [10n ** 14n, 3_204_941_750_802n],
  [10n ** 15n, 29_844_570_422_669n],
]);

export function knownPi(x: bigint): bigint {
  const count = KNOWN_PI.get(x);
  if (count === undefined) throw new Error(`no known pi(${x})`);
  return count;
}
