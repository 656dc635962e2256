import { div } from './exact-division.js';
import { icbrt, isqrt } from './integer-root.js';
import { OddWindowSieve } from './odd-window-sieve.js';
import type { ReferenceParams } from './prime-count-params.js';
import { primeCountTables } from './prime-count-tables.js';
import type { PrimeLineSum } from './prime-line-sum.js';

/** Numbers per window: its local pi table (4 bytes per odd number) stays in the L2 cache. */
const WINDOW = 1 << 16;

/**
 * The easy special leaves with u = x / (p q) in [low, high), a range of [0, sqrt(x)) starting
 * at a multiple of 64:
 *   A:  x* < p <= x^(1/3), p < q <= sqrt(x / p): pi(u), twice when u < y (the leaf's mirror
 *       above sqrt(x / p) is counted with it; Sigma holds the rest of the mirror's terms);
 *   C2: sqrt(z) < p <= x*, max(p, x / p^3) < q <= y: phi(u, b - 1) = pi(u) - b + 2.
 * C2's clustered leaves (q > sqrt(x / p), so u < y) share phi over runs of q and are counted
 * run by run from the full pi table; every other pi(u) comes from the window's local table.
 */
export function easyLeafSum(params: ReferenceParams, low: number, high: number): PrimeLineSum {
  if (low % 64 !== 0) throw new RangeError(`easy leaves need low % 64 = 0, got ${low}`);
  const { x, y, z, k, xStar } = params;
  const x13 = icbrt(x);
  const { primes, pi } = primeCountTables(params);
  const sieve = new OddWindowSieve(WINDOW);
  // local[j]: primes in [wLow, wLow + 2j - 1], so pi(u) - pi(wLow - 1) = local[(u - wLow + 1) >> 1].
  const local = new Int32Array(WINDOW / 2 + 2);
  const minC2Always = Math.max(k, pi[icbrt(div(x, y))]!, pi[isqrt(z)]!) + 1;

  let seen = 0; // primes in [low, wLow)
  let localSum = 0;
  let weight = 0;
  let constant = 0;
  sieve.begin(low, high, primes);
  while (sieve.next()) {
    const { windowLow: wLow, windowHigh: wHigh } = sieve;
    fillLocalPi(local, sieve.words, (wHigh - wLow) >>> 1, wLow === 0);
    const xLow = div(x, Math.max(wLow, 1));
    const xHigh = div(x, wHigh);
    let windowSum = 0;
    let windowWeight = 0;

    // C2: a leaf needs u < p^2 (p > sqrt(wLow)) and u >= x / (p y) (p > xHigh / y).
    const minC2 = Math.max(
      minC2Always,
      pi[isqrt(wLow)]! + 1,
      pi[Math.min(div(xHigh, y), xStar)]! + 1,
    );
    const maxC2 = pi[Math.min(isqrt(xLow), xStar)]!;
    for (let b = minC2; b <= maxC2; b++) {
      const p = primes[b]!;
      const xp = div(x, p);
      const maxQ = Math.min(div(xLow, p), div(xp, p), y);
      const minQ = Math.max(div(xHigh, p), div(div(xp, p), p), p);
      if (minQ >= maxQ) continue;
      const piMinQ = pi[minQ]!;
      const minClustered = Math.min(maxQ, Math.max(minQ, isqrt(xp)));
      const piMinClustered = pi[minClustered]!;
      let i = pi[maxQ]!;
      while (i > piMinClustered) {
        // Every q in (x / (p * p_{s+1}), q_i] has the same pi(u) = s.
        const s = pi[div(xp, primes[i]!)]!;
        const iNext = pi[Math.max(div(xp, primes[s + 1]!), minClustered)]!;
        constant += (s - b + 2) * (i - iNext);
        i = iNext;
      }
      constant += (2 - b) * (i - piMinQ);
      windowWeight += i - piMinQ;
      for (; i > piMinQ; i--) windowSum += local[(div(xp, primes[i]!) - wLow + 1) >> 1]!;
    }

    // A: u >= q > p needs p > x / wHigh^2, and u < x / p^2 needs p^2 < x / wLow.
    const minA = pi[Math.max(xStar, Math.min(div(xHigh, wHigh), x13))]! + 1;
    const maxA = pi[Math.min(isqrt(xLow), x13)]!;
    for (let b = minA; b <= maxA; b++) {
      const p = primes[b]!;
      const xp = div(x, p);
      const sqrtXp = isqrt(xp);
      const maxQ = Math.min(div(xLow, p), sqrtXp);
      let i = pi[Math.max(p, Math.min(div(xHigh, p), sqrtXp))]! + 1;
      const lastOnce = pi[Math.min(div(xp, y), maxQ)]!; // up to here u >= y
      const last = pi[maxQ]!;
      if (lastOnce >= i) windowWeight += lastOnce - i + 1;
      for (; i <= lastOnce; i++) windowSum += local[(div(xp, primes[i]!) - wLow + 1) >> 1]!;
      if (last >= i) windowWeight += 2 * (last - i + 1);
      for (; i <= last; i++) windowSum += 2 * local[(div(xp, primes[i]!) - wLow + 1) >> 1]!;
    }

    localSum += windowSum + windowWeight * seen;
    weight += windowWeight;
    seen += local[(wHigh - wLow) >>> 1]!;
  }
  return { low, high, primes: seen, localSum, weight, constant };
}

/** local[j] = primes among the window's odd numbers below index j, plus the prime 2 when the window starts at 0. */
function fillLocalPi(local: Int32Array, words: Int32Array, odds: number, withTwo: boolean): void {
  let count = withTwo ? 1 : 0;
  local[0] = 0;
  // u = 1 shares index 1 with u = 2 and is never looked up; an odd-length window's last entry
  // covers its last (even) number, so the loop writes it too, on its last turn. Nothing runs
  // after the loop: V8 compiles this function while the loop runs (on-stack replacement),
  // before any code after it has run, and such code then deoptimises it on every call.
  if (odds === 0) local[1] = count;
  const last = odds - 1;
  for (let j = 0; j < odds; j++) {
    count += (words[j >>> 5]! >>> (j & 31)) & 1;
    local[j + 1] = count;
    if (j === last) local[j + 2] = count;
  }
}

/**
 * C1: the easy special leaves of the primes p with (x / z)^(1/3) < p <= sqrt(z), whose m can
 * have several prime factors: max(x / p^3, z / p) < m <= min(x / p^2, z), squarefree, with
 * every factor in (p, y]. Each contributes -mu(m) (pi(x / (p m)) - b + 2), with pi up to z.
 */
export function composedEasyLeafSum(params: ReferenceParams): number {
  const { x, y, z, k } = params;
  const { primes, pi } = primeCountTables(params);
  const a = pi[y]!;
  let sum = 0;
  for (let b = Math.max(k, pi[icbrt(div(x, z))]!) + 1; b <= pi[isqrt(z)]!; b++) {
    const p = primes[b]!;
    const xp = div(x, p);
    const maxM = Math.min(div(xp, p), z);
    const minM = Math.max(div(div(xp, p), p), div(z, p));
    if (minM >= maxM) continue;
    // m runs over products of primes above p; mu(m) flips with each factor.
    const visit = (from: number, m: number, mu: number): number => {
      let total = 0;
      for (let j = from + 1; j <= a; j++) {
        const next = m * primes[j]!;
        if (next > maxM) break;
        if (next > minM) total -= mu * (pi[div(xp, next)]! - b + 2);
        total += visit(j, next, -mu);
      }
      return total;
    };
    sum += visit(b, 1, -1);
  }
  return sum;
}
