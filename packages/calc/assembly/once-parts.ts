// The parts of pi(x) computed once: Sigma (Gourdon's closed forms), Phi0 (the ordinary leaves)
// and C1 (the composed easy leaves), in exact 64-bit arithmetic. As src/prime/sigma.ts,
// src/prime/ordinary-leaves.ts and src/prime/easy-leaves.ts.
import { divu, icbrt, isqrt, max64, min64 } from './arith';
import { take } from './arena';
import { piOf, primeAt } from './tables';

/** phi(v, 6) in constant time: 30030 = 2 * 3 * 5 * 7 * 11 * 13, 5760 of them coprime to it. */
const PRIMORIAL: u64 = 30030;
const TOTIENT: u64 = 5760;
let phiCounts: usize = 0;

export function initOnceParts(): void {
  phiCounts = take(<usize>PRIMORIAL << 1);
  let running: u32 = 0;
  store<u16>(phiCounts, 0);
  for (let r: u32 = 1; r < <u32>PRIMORIAL; r++) {
    if (r % 2 != 0 && r % 3 != 0 && r % 5 != 0 && r % 7 != 0 && r % 11 != 0 && r % 13 != 0) running++;
    store<u16>(phiCounts + (<usize>r << 1), <u16>running);
  }
}

// @ts-ignore: decorator
@inline
function phi6(v: u64): i64 {
  const q = v / PRIMORIAL;
  return <i64>(q * TOTIENT + <u64>load<u16>(phiCounts + (<usize>(v - q * PRIMORIAL) << 1)));
}

let ox: u64 = 0;
let oz: u64 = 0;
let oa: u32 = 0;

function ordinaryVisit(from: u32, n: u64, mu: i64): i64 {
  let total: i64 = 0;
  for (let b = from + 1; b <= oa; b++) {
    const next = n * primeAt(b);
    if (next > oz) break;
    total += mu * phi6(divu(ox, next)) + ordinaryVisit(b, next, -mu);
  }
  return total;
}

/** Phi0: mu(n) phi(x / n, k) over the squarefree n <= z whose factors lie in (p_k, y], k = 6. */
export function ordinaryLeaves(x: u64, y: u64, z: u64, k: u32): i64 {
  ox = x;
  oz = z;
  oa = piOf(y);
  return phi6(x) + ordinaryVisit(k, 1, -1);
}

let cxp: u64 = 0;
let cMinM: u64 = 0;
let cMaxM: u64 = 0;
let cB: i64 = 0;

function composedVisit(from: u32, m: u64, mu: i64): i64 {
  let total: i64 = 0;
  for (let j = from + 1; j <= oa; j++) {
    const next = m * primeAt(j);
    if (next > cMaxM) break;
    if (next > cMinM) total -= mu * (<i64>piOf(divu(cxp, next)) - cB + 2);
    total += composedVisit(j, next, -mu);
  }
  return total;
}

/**
 * C1: the easy leaves of the primes p with (x / z)^(1/3) < p <= sqrt(z), whose m may have
 * several factors: max(x / p^3, z / p) < m <= min(x / p^2, z), squarefree, factors in (p, y].
 */
export function composedEasyLeaves(x: u64, y: u64, z: u64, k: u32): i64 {
  oa = piOf(y);
  let sum: i64 = 0;
  const last = piOf(isqrt(z));
  for (let b = max<u32>(k, piOf(icbrt(x / z))) + 1; b <= last; b++) {
    const p = primeAt(b);
    const xp = divu(x, p);
    const maxM = min64(divu(xp, p), z);
    const minM = max64(divu(divu(xp, p), p), z / p);
    if (minM >= maxM) continue;
    cxp = xp;
    cMinM = minM;
    cMaxM = maxM;
    cB = <i64>b;
    sum += composedVisit(b, 1, -1);
  }
  return sum;
}

export let sqrtXIsPrime: bool = false;

/** Sigma less pi(sqrt(x)) (pi(sqrt(x)) - 1) / 2; sets sqrtXIsPrime. As src/prime/sigma.ts. */
export function sigma(x: u64, y: u64, xStar: u64): i64 {
  const x13 = icbrt(x);
  const sqrtXy = isqrt(x / y);
  const a = <i64>piOf(y);
  const b = <i64>piOf(x13);
  const c = <i64>piOf(sqrtXy);
  const d = <i64>piOf(xStar);
  const sigma0 = a - 1 - (a * (a - 1)) / 2;
  const sigma1 = ((a - b) * (a - b - 1)) / 2;
  const sigma2 = a * (b - c - (c * (c - 3)) / 2 + (d * (d - 3)) / 2);
  const sigma3 = (b * (b - 1) * (2 * b - 1)) / 6 - b - (d * (d - 1) * (2 * d - 1)) / 6 + d;
  let sigma4: i64 = 0;
  let sigma5: i64 = 0;
  let sigma6: i64 = 0;
  for (let i = d + 1; i <= b; i++) {
    const p = primeAt(<u32>i);
    const xp = divu(x, p);
    if (p <= sqrtXy) sigma4 += <i64>piOf(divu(xp, y));
    else sigma5 += <i64>piOf(divu(xp, p));
    const s = <i64>piOf(isqrt(xp));
    sigma6 += s * s;
  }
  const r = isqrt(x);
  let prime = r >= 2;
  for (let i: u32 = 1; prime; i++) {
    const p = primeAt(i);
    if (p * p > r) break;
    if (r % p == 0) prime = r == p;
    if (r % p == 0) break;
  }
  sqrtXIsPrime = prime;
  return sigma0 + sigma1 + sigma2 + sigma3 + a * sigma4 + sigma5 - sigma6;
}
