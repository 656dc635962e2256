import { isqrt } from './integer-root.js';
import { mobiusTimesLeastFactor } from './mobius-lpf.js';
import { phiTiny } from './phi-tiny.js';
import { PiTable } from './pi-table.js';
import type { PrimeCountParams } from './prime-count-params.js';
import { primesUpTo } from './sieve.js';

/** Which easy parts of pi(x) one chunk computes. */
export interface EasyPart {
  /** Special leaves of p_b for bFrom <= b < bTo. */
  readonly bFrom: number;
  readonly bTo: number;
  /** Whether this chunk also adds S1 (ordinary leaves) and subtracts P2. */
  readonly withS1AndP2: boolean;
}

/**
 * The parts of pi(x) that need no sieve over [1, z]: S1, P2 and the special leaves
 * phi(u, b - 1) with u < p_b^2, which equal max(1, pi(u) - b + 2). Returns their signed sum
 * (S1 + those leaves - P2).
 */
export function computeEasyPart(params: PrimeCountParams, part: EasyPart): number {
  const { x, y, z, c, a } = params;
  const primes = primesUpTo(y);
  const muLpf = mobiusTimesLeastFactor(y);
  const piTable = new PiTable(z);
  const piSmall = smallPiArray(primes, y); // faster than the bit table on this hot path
  let sum = 0;

  if (part.withS1AndP2) {
    const pc = c === 0 ? 1 : primes[c - 1]!;
    for (let m = 1; m <= y; m++) {
      const v = muLpf[m]!;
      if (v > pc) sum += phiTiny(Math.floor(x / m), c);
      else if (v < -pc) sum -= phiTiny(Math.floor(x / m), c);
    }
    const sqrtX = isqrt(x);
    let p2 = 0;
    piTable.forEachPrime(y, sqrtX, (p) => {
      p2 += piTable.pi(Math.floor(x / p)) - piTable.pi(p) + 1;
    });
    sum -= p2;
  }

  const sqrtY = isqrt(y);
  const bTo = Math.min(part.bTo, a);
  for (let b = Math.max(part.bFrom, c + 1); b < bTo; b++) {
    const p = primes[b - 1]!;
    const offset = b - 2; // phi(u, b - 1) = pi(u) - offset when p_b <= u < p_b^2
    const hardBound = Math.floor(x / (p * p * p)); // m <= hardBound is a hard leaf
    if (p <= sqrtY) {
      // m runs over squarefree numbers in (y / p, y] whose factors all exceed p; u >= p here.
      const mLow = Math.max(Math.floor(y / p), hardBound);
      for (let m = y; m > mLow; m--) {
        const v = muLpf[m]!;
        if (v > p) sum -= piTable.pi(Math.floor(x / (p * m))) - offset;
        else if (v < -p) sum += piTable.pi(Math.floor(x / (p * m))) - offset;
      }
    } else {
      // m is a prime q in (p, y]; leaves with u < p (q > x / p^2) contribute 1 each.
      const trivialFrom = Math.max(p, Math.min(y, Math.floor(x / (p * p))));
      sum += a - piTable.pi(trivialFrom);
      const qLow = Math.max(p, hardBound);
      const jEnd = piTable.pi(trivialFrom);
      let j = piTable.pi(qLow); // primes[j] is the first prime above qLow
      const xOverP = Math.floor(x / p); // floor(floor(x / p) / q) = floor(x / (p * q))
      while (j < jEnd) {
        const q = primes[j]!;
        const u = Math.floor(xOverP / q);
        if (u > y) {
          sum += piTable.pi(u) - offset;
          j++;
        } else if (u > q >>> 2) {
          sum += piSmall[u]! - offset;
          j++;
        } else {
          const phi = piSmall[u]! - offset;
          // Clustered leaves: once u is well below q, runs of consecutive q share the prime at
          // or below u, hence phi: count each run at once.
          const qLast = Math.min(trivialFrom, Math.floor(x / (p * piTable.primeAtOrBelow(u))));
          const jNext = piTable.pi(qLast);
          sum += (jNext - j) * phi;
          j = jNext;
        }
      }
    }
  }
  return sum;
}

/** pi(u) for 0 <= u <= limit as a flat array, from the primes up to limit. */
function smallPiArray(primes: Uint32Array, limit: number): Int32Array {
  const pi = new Int32Array(limit + 1);
  let count = 0;
  for (let u = 0, k = 0; u <= limit; u++) {
    if (k < primes.length && primes[k] === u) {
      count++;
      k++;
    }
    pi[u] = count;
  }
  return pi;
}
