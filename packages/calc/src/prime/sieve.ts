/** Every prime p <= limit, ascending (simple odd-only sieve; meant for limits up to ~10^8). */
export function primesUpTo(limit: number): Uint32Array {
  if (limit < 2) return new Uint32Array(0);
  // composite[i] describes the odd number 2i + 1.
  const size = (limit >>> 1) + 1;
  const composite = new Uint8Array(size);
  for (let i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++) {
    if (composite[i]) continue;
    const p = 2 * i + 1;
    for (let j = (p * p) >>> 1; j < size; j += p) composite[j] = 1;
  }
  let count = 1;
  for (let i = 1; i < size; i++) if (!composite[i] && 2 * i + 1 <= limit) count++;
  const primes = new Uint32Array(count);
  primes[0] = 2;
  let k = 1;
  for (let i = 1; i < size; i++) if (!composite[i] && 2 * i + 1 <= limit) primes[k++] = 2 * i + 1;
  return primes;
}

/**
 * Marks the odd primes of [low, high) in `isPrime` (index i describes low + 2i + 1; low must be
 * even), using the sieving primes `primes` (all primes up to sqrt(high), ascending, with 2 first).
 */
export function sieveOddSegment(
  low: number,
  high: number,
  primes: Uint32Array,
  isPrime: Uint8Array,
): number {
  const size = (high - low) >>> 1;
  isPrime.fill(1, 0, size);
  if (low === 0 && size > 0) isPrime[0] = 0; // 1 is not prime
  for (let k = 1; k < primes.length; k++) {
    const p = primes[k]!;
    const square = p * p;
    if (square >= high) break;
    let multiple = square >= low ? square : Math.ceil(low / p) * p;
    if (multiple % 2 === 0) multiple += p;
    for (let i = (multiple - low - 1) / 2; i < size; i += p) isPrime[i] = 0;
  }
  return size;
}
