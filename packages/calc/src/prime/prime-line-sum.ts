/**
 * A sum of pi(u) terms over the u of one range [low, high) of the prime line, computed without
 * knowing pi(low - 1): the true sum is constant + localSum + weight * pi(low - 1), where
 * localSum counts the primes from low on. `primes` (the primes in [low, high)) gives the next
 * range its pi(low - 1), so ranges computed anywhere add up in order. Plain data.
 */
export interface PrimeLineSum {
  readonly low: number;
  readonly high: number;
  readonly primes: number;
  readonly localSum: number;
  readonly weight: number;
  readonly constant: number;
}
