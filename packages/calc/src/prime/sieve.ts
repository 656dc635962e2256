/** Every prime p <= limit, ascending: a plain odd-only sieve, for limits up to a few million. */
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
