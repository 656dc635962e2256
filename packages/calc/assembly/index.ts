// The WebAssembly kernels of the prime count (src/kernels/ loads them). Integers that can pass
// 2^53 cross as i64 (BigInt in JavaScript); the others as f64.
import { fixFloor, mark, release, take } from './arena';
import { clusteredRuns, easyConstant, easyLeaves as easyLeavesIn, easyLocalSum, easyPrimes, easySpan, easyWeight } from './easy-leaves';
import { hardCount, hardLeaves as hardLeavesIn, hardSpan } from './hard-leaves';
import { largeLocalSum, largePrimes as largePrimesIn, largePrimesCount, largeSpan, largeTerms } from './large-primes';
import { ensureFactors } from './leaf-factors';
import { composedEasyLeaves as composedIn, initOnceParts, ordinaryLeaves as ordinaryIn, sigma as sigmaIn, sqrtXIsPrime } from './once-parts';
import { ensureInverses, ensureTables, nthFromPi, piOf, primeAt as primeAtIn, primeCount, tableLimit } from './tables';
import { initWheel } from './wheel';

export { dropWindow, nthInWindow, sieveWindow } from './walk';

let ready = false;

/** Builds what every call reuses (wheel masks, pattern, phi table); idempotent. */
export function init(): void {
  if (ready) return;
  initWheel();
  initOnceParts();
  fixFloor();
  ready = true;
}

/**
 * Makes the pi table cover `limit` and the prime list `list` (kept, grown by a quarter when too
 * small): a computation needs both to its limit, the small table only pi.
 */
export function tables(limit: f64, list: f64): void {
  init();
  ensureTables(<u64>limit, <u64>list);
}

/** The nth prime from the pi table (1 <= n <= pi of its limit). */
export function nthPrimeFromPi(n: f64): f64 {
  return <f64>nthFromPi(<u64>n);
}

/** Makes divByPrime ready for the primes up to v (<= the tables' limit): every part of pi(x) with y <= v. */
export function inverses(v: f64): void {
  ensureInverses(<u64>v);
}

export function tablesLimit(): f64 {
  return <f64>tableLimit;
}

/** How many primes the tables list. */
export function tablesPrimes(): f64 {
  return <f64>primeCount;
}

/** The bth prime from the tables (1 <= b <= tablesPrimes()). */
export function primeAt(b: f64): f64 {
  return <f64>primeAtIn(<u32>b);
}

/** pi(u) from the tables (u <= tablesLimit()). */
export function pi(u: f64): f64 {
  return <f64>piOf(<u64>u);
}

/** Builds the hard leaves' factor table for m <= z ahead (warm-up); the tables must cover z. */
export function factors(z: f64): void {
  ensureFactors(<u64>z);
}

/** Where hardLeaves wrote its result, and how many b it holds. */
let hardOut: usize = 0;
let hardOutMark: usize = 0;

export function hardLeaves(x: u64, y: f64, z: f64, k: f64, xStar: f64, low: f64, high: f64): f64 {
  if (hardOutMark != 0) release(hardOutMark);
  hardOutMark = 0;
  ensureFactors(<u64>z);
  hardOutMark = mark();
  // At most pi(x*) - k values of 24 bytes.
  hardOut = take(<usize>(piOf(<u64>xStar) + 1) * 24);
  hardLeavesIn(x, <u64>y, <u64>z, <u32>k, <u64>xStar, <u64>low, <u64>high, hardOut);
  return <f64>hardCount;
}

/** The address of hardLeaves' arrays: counts, leaf sums, leaf signs (hardCount i64 each). */
export function hardResult(): f64 {
  return <f64>hardOut;
}

export function largePrimes(x: u64, y: f64, low: f64, high: f64): f64 {
  largePrimesIn(x, <u64>y, <u64>low, <u64>high);
  return <f64>largePrimesCount;
}

export function largeLocal(): u64 {
  return largeLocalSum;
}

export function largeCount(): f64 {
  return <f64>largeTerms;
}

export function easyLeaves(x: u64, y: f64, z: f64, k: f64, xStar: f64, low: f64, high: f64): f64 {
  easyLeavesIn(x, <u64>y, <u64>z, <u32>k, <u64>xStar, <u64>low, <u64>high);
  return <f64>easyPrimes;
}

export function easyLocal(): i64 {
  return easyLocalSum;
}

export function easyWeightOf(): f64 {
  return <f64>easyWeight;
}

export function easyConstantOf(): i64 {
  return easyConstant;
}

export function ordinaryLeaves(x: u64, y: f64, z: f64, k: f64): i64 {
  return ordinaryIn(x, <u64>y, <u64>z, <u32>k);
}

export function composedEasyLeaves(x: u64, y: f64, z: f64, k: f64): i64 {
  return composedIn(x, <u64>y, <u64>z, <u32>k);
}

export function sigma(x: u64, y: f64, xStar: f64): i64 {
  return sigmaIn(x, <u64>y, <u64>xStar);
}

export function sigmaSqrtXIsPrime(): bool {
  return sqrtXIsPrime;
}



/**
 * Sets a tuning knob (benchmarks): 0 the hard leaves' span in bytes, 2 the easy leaves' span,
 * 3 the large primes' span (powers of two from 2^12 to 2^18 bytes), 4 whether C2's clustered
 * leaves are counted run by run.
 */
export function tune(knob: i32, value: i32): void {
  if (knob == 0) hardSpan = <u32>value;
  else if (knob == 2) easySpan = <u32>value;
  else if (knob == 3) largeSpan = <u32>value;
  else if (knob == 4) clusteredRuns = value != 0;
}
