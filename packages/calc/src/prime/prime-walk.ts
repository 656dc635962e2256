import { isqrt } from './integer-root.js';
import { OddWindowSieve } from './odd-window-sieve.js';
import { popcount32 } from './popcount.js';
import { primesThrough } from './prime-tables.js';
import { primeKernels } from './wasm-kernels.js';

/** The least a walk sieves at once. */
const MIN_SPAN = 1 << 16;

/**
 * The nth prime, given pi(x) = countAtX for some x >= 2: sieves from x towards the answer (the
 * gap is a few sqrt(x) wide when x comes from R^-1(n)). Primes average ln x apart, and the
 * count over a long stretch strays from that by about its square root, so one window of the
 * expected distance plus 5% and 2^16 nearly always reaches the answer; each further window
 * doubles. One window means each sieving prime's first multiple is found only once.
 */
export function nthPrimeNear(n: number, x: number, countAtX: number): number {
  const steps = Math.abs(n - countAtX) + 1;
  let span = 64 * Math.ceil((1.05 * steps * Math.log(x) + MIN_SPAN) / 64);
  if (countAtX < n) {
    // The (n - countAtX)th prime above x; 2 is at or below every x walked from.
    let remaining = n - countAtX;
    for (let from = x + 1; ; from += span, span *= 2) {
      const sieve = sieveRange(from, from + span);
      const found = countPrimes(sieve);
      if (found >= remaining) return nthSetNumber(sieve, remaining);
      remaining -= found;
    }
  }
  // The (countAtX - n + 1)th prime at or below x, counting down.
  let remaining = countAtX - n + 1;
  for (let high = x + 1; high > 2; high -= span, span *= 2) {
    const low = Math.max(0, high - span);
    const sieve = sieveRange(low, high);
    // The sieve leaves out 2, the one even prime.
    const withTwo = low <= 2 ? 1 : 0;
    const found = countPrimes(sieve) + withTwo;
    if (found >= remaining) {
      const fromLow = found - remaining + 1;
      return withTwo === 1 && fromLow === 1 ? 2 : nthSetNumber(sieve, fromLow - withTwo);
    }
    remaining -= found;
  }
  throw new RangeError(`there are not ${countAtX - n + 1} primes at or below ${x}`);
}

/** [low, high) sieved in one window (64 numbers of slack for a start off a multiple of 64). */
function sieveRange(low: number, high: number): OddWindowSieve {
  const sieve = new OddWindowSieve(64 * Math.ceil((high - low) / 64) + 64);
  sieve.begin(low, high, primesThrough(isqrt(high) + 1));
  sieve.next();
  return sieve;
}

function countPrimes(sieve: OddWindowSieve): number {
  let count = 0;
  for (let w = 0; w < sieve.used; w++) count += popcount32(sieve.words[w]!);
  return count;
}

/** The number of the kth set bit (k >= 1) of the sieve's window. */
function nthSetNumber(sieve: OddWindowSieve, k: number): number {
  let remaining = k;
  for (let w = 0; w < sieve.used; w++) {
    const count = popcount32(sieve.words[w]!);
    if (count < remaining) {
      remaining -= count;
      continue;
    }
    let bits = sieve.words[w]!;
    for (; remaining > 1; remaining--) bits &= bits - 1;
    return sieve.base + 64 * w + 2 * (31 - Math.clz32(bits & -bits)) + 1;
  }
  throw new RangeError(`the window holds fewer than ${k} primes`);
}

/** Largest window the kernels sieve at once (in numbers): 2^27 / 30 bytes, about 4.5 MiB. */
const MAX_EXACT_SPAN = 1n << 27n;

/**
 * The nth prime given pi(x) = countAtX, exact for any x up to 2^63 (as nthPrimeNear, on the
 * WebAssembly kernels): windows from x towards the answer, the first of the expected distance
 * plus 5% and 2^16, each further one twice as long. The kernels make the sieving primes up to
 * sqrt(x) as they go (3 * 10^7 of them at x = 4 * 10^17, none kept), so the walk needs no table
 * and any thread can run it.
 */
export function nthPrimeNearExact(n: bigint, x: bigint, countAtX: bigint): bigint {
  const kernels = primeKernels();
  const steps = (n > countAtX ? n - countAtX : countAtX - n) + 1n;
  let span = BigInt(64 * Math.ceil((1.05 * Number(steps) * Math.log(Number(x)) + MIN_SPAN) / 64));
  const take = (): bigint => {
    const now = span < MAX_EXACT_SPAN ? span : MAX_EXACT_SPAN;
    span *= 2n;
    return now;
  };
  try {
    if (countAtX < n) {
      // The (n - countAtX)th prime above x.
      let remaining = n - countAtX;
      for (let from = x + 1n; ; ) {
        const width = take();
        const found = kernels.sieveWindow(from, from + width);
        if (found >= remaining) return kernels.nthInWindow(remaining);
        remaining -= found;
        from += width;
      }
    }
    // The (countAtX - n + 1)th prime at or below x, counting down.
    let remaining = countAtX - n + 1n;
    for (let high = x + 1n; high > MIN_EXACT_WALK; ) {
      const width = take();
      const low = high - width > MIN_EXACT_WALK ? high - width : MIN_EXACT_WALK;
      const found = kernels.sieveWindow(low, high);
      if (found >= remaining) return kernels.nthInWindow(found - remaining + 1n);
      remaining -= found;
      high = low;
    }
    throw new RangeError(`the walk from ${x} went below ${MIN_EXACT_WALK}`);
  } finally {
    kernels.dropWindow();
  }
}

/** The kernels' windows start at 17 or above; the walks start far higher (x > 6 * 10^7). */
const MIN_EXACT_WALK = 17n;
