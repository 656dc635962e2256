// An oracle for the nth prime that shares nothing with the calc core: a plain sieve of
// Eratosthenes, slow and obviously right, for the n a test can sieve up to (10^7 in about a
// second). Tests of larger n compare with published values or primecount instead.

/** Primes found so far, ascending, and the limit sieved to. */
let sieved: { readonly primes: Uint32Array; readonly limit: number } = {
  primes: new Uint32Array(0),
  limit: 1,
};

/** Above p(n) for n >= 6 (Rosser's bound p(n) < n (ln n + ln ln n)). */
function upperBound(n: number): number {
  return n < 6 ? 13 : Math.ceil(n * (Math.log(n) + Math.log(Math.log(n))));
}

/**
 * Every prime up to limit: 2, then the odd numbers left after crossing off the odd multiples of
 * each odd prime from its square (composite[i] stands for 2i + 1).
 */
function sieve(limit: number): Uint32Array {
  const size = (limit + 1) >>> 1;
  const composite = new Uint8Array(size);
  for (let i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++) {
    if (composite[i] !== 0) continue;
    const p = 2 * i + 1;
    for (let m = (p * p) >>> 1; m < size; m += p) composite[m] = 1;
  }
  let count = limit >= 2 ? 1 : 0;
  for (let i = 1; i < size; i++) count += 1 - (composite[i] as number);
  const primes = new Uint32Array(count);
  let at = 0;
  if (limit >= 2) primes[at++] = 2;
  for (let i = 1; i < size; i++) if (composite[i] === 0) primes[at++] = 2 * i + 1;
  return primes;
}

/** The nth prime (the 1st is 2) for 1 <= n <= 5 * 10^7, by sieving; kept for later calls. */
export function referenceNthPrime(n: number): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > 5e7) {
    throw new RangeError(`the reference sieve answers 1 <= n <= 5e7, not ${n}`);
  }
  if (n > sieved.primes.length) {
    const limit = Math.max(upperBound(n), 2 * sieved.limit);
    sieved = { primes: sieve(limit), limit };
  }
  return sieved.primes[n - 1] as number;
}
