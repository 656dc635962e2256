// The tables a thread keeps between calls: the primes up to a limit (u32, 1-based as the
// formulas index them) and pi(u) for u up to it, compressed: per 240 numbers one u64 of wheel
// bits and the count of primes below them (16 bytes), so a lookup is a load and a popcnt.
import { arenaFloor, release, take } from './arena';
import { newSieve, nextSpan } from './prime-sieve';
import { RESIDUES, SMALL_PI, UP_TO } from './wheel';

/** primes[b] is the bth prime (u32), primes[0] = 0. */
export let primes: usize = 0;
export let primeCount: u32 = 0;
/** 16-byte entries per 240 numbers: bits (u64), primes below (u64). */
export let piTable: usize = 0;
export let tableLimit: u64 = 0;
/**
 * inverses[b] = 1 / primes[b] (f64) nudged up by a relative 2^-50: quotients by primes as a
 * multiplication (quotientByPrime, divByPrime).
 */
export let inverses: usize = 0;
/** inverses[1 .. inversesReady] are filled (ensureInverses). */
let inversesReady: u32 = 0;
/** Where the tables end: the factor table goes after them. */
export let tablesEnd: usize = 0;
/** Counts the builds, so that what was built on the tables knows when they changed. */
export let tablesBuilt: u32 = 0;
/** Index in primes of 17, the first prime the sieves cross off. */
export const FIRST_CROSSED: u32 = 7;

const SPAN: u32 = 1 << 15;

/** The primes up to `limit` by a plain odd sieve, into a fresh u32 list from 2 on; returns its length. */
function smallPrimes(limit: u32, out: usize): u32 {
  const size = (limit >> 1) + 1;
  const composite = take(size);
  memory.fill(composite, 0, size);
  let count: u32 = 0;
  if (limit >= 2) store<u32>(out, 2);
  if (limit >= 2) count = 1;
  for (let i: u32 = 1; i < size; i++) {
    if (load<u8>(composite + i)) continue;
    const p: u32 = 2 * i + 1;
    if (p > limit) break;
    store<u32>(out + (<usize>count << 2), p);
    count++;
    for (let j = (<u64>p * p) >> 1; j < <u64>size; j += p) store<u8>(composite + <usize>j, 1);
  }
  return count;
}

/** The prime list runs at least this far (it may stop short of the pi table). */
export let listLimit: u64 = 0;

/**
 * Makes the pi table cover `limit` (< 2^32) and the prime list `list` (<= limit) unless those
 * kept do: rebuilt when too small, grown by a quarter, which drops the factor table. The pi
 * table is 16 bytes per 240 numbers; the list, 4 bytes per prime, only runs as far as a
 * computation looks primes up (the small table needs only pi).
 */
export function ensureTables(limit: u64, list: u64): void {
  if (tableLimit >= limit && listLimit >= list && primes != 0) return;
  const grown = tableLimit >= limit ? tableLimit : tableLimit * 5 / 4 > limit ? tableLimit * 5 / 4 : limit;
  const grownList = listLimit >= list ? listLimit : listLimit * 5 / 4 > list ? listLimit * 5 / 4 : list;
  buildTables(grown, grownList < grown ? grownList : grown);
}

function buildTables(limit: u64, list: u64): void {
  release(arenaFloor());
  const words = limit / 240 + 1;
  const end = words * 240;
  piTable = take(<usize>words << 4);
  const listEnd = (list / 240 + 1) * 240;
  const bound = <u64>(1.26 * <f64>listEnd / Math.log(<f64>listEnd)) + 16;
  primes = take(<usize>(bound + 2) << 2);
  // Sieving primes from 17 up to sqrt(end), from a plain sieve, kept after the list.
  const root = <u32>Math.sqrt(<f64>end) + 2;
  const small = take((<usize>root >> 1) * 4 + 64);
  const smallCount = smallPrimes(root, small);
  store<u32>(primes, 0);
  let count: u32 = 0;
  for (let i: u32 = 0; i < smallCount && i < 3; i++) store<u32>(primes + (<usize>++count << 2), load<u32>(small + (<usize>i << 2)));
  const from = smallCount > 6 ? 6 : smallCount;
  const sieve = newSieve(small + (<usize>from << 2), smallCount - from, 0, end, SPAN);
  let below: u64 = 3;
  let word: u64 = 0;
  while (nextSpan(sieve)) {
    const seg = sieve.seg;
    for (let w: u32 = 0; w < sieve.words; w++) {
      const bits = load<u64>(seg + (<usize>w << 3));
      const entry = piTable + (<usize>word << 4);
      store<u64>(entry, bits);
      store<u64>(entry, below, 8);
      below += popcnt<u64>(bits);
      const number0 = 30 * (word << 3);
      let rest = number0 < listEnd ? bits : 0;
      while (rest != 0) {
        const t = ctz<u64>(rest);
        rest &= rest - 1;
        const n = number0 + 30 * (t >> 3) + <u64>load<u8>(RESIDUES + <usize>(t & 7));
        store<u32>(primes + (<usize>++count << 2), <u32>n);
      }
      word++;
    }
  }
  primeCount = count;
  tableLimit = end - 1;
  listLimit = listEnd - 1;
  // The scratch of the build (small primes, sieve) is dropped: the inverses follow the list.
  release((primes + (<usize>(count + 1) << 2) + 63) & ~(<usize>63));
  inverses = take(<usize>(count + 1) << 3);
  store<f64>(inverses, 0);
  inversesReady = 0;
  tablesEnd = take(0);
  tablesBuilt++;
}

/** pi(u) for u <= tableLimit. */
// @ts-ignore: decorator
@inline
export function piOf(u: u64): u32 {
  if (u < 7) return load<u8>(SMALL_PI + <usize>u);
  const v = <u32>u;
  const w = v / 240;
  const entry = piTable + (<usize>w << 4);
  return <u32>load<u64>(entry, 8) + <u32>popcnt<u64>(load<u64>(entry) & load<u64>(UP_TO + (<usize>(v - w * 240) << 3)));
}

/** The bth prime, 1 <= b <= primeCount. */
// @ts-ignore: decorator
@inline
export function primeAt(b: u32): u64 {
  return <u64>load<u32>(primes + (<usize>b << 2));
}

/** How many primes from 17 on are <= v: the sieving primes a sieve up to v^2 crosses off. */
export function crossedUpTo(v: u64): u32 {
  const count = piOf(v);
  return count >= FIRST_CROSSED ? count + 1 - FIRST_CROSSED : 0;
}

/** Above this a product by an inverse can land one past the quotient: 2^53 / 11 (quotientByPrime). */
export const INVERSE_EXACT_BELOW: u64 = 800_000_000_000_000;

/**
 * floor(a / primes[b]) for a < INVERSE_EXACT_BELOW, as af = a in a double: one multiplication,
 * no correction, several times the throughput of a division. Why it is exact: with q = primes[b]
 * and t = a / q, the inverse is 1 / q times (1 + 2^-50) within three roundings of 2^-53 each, so
 * the product lies in (t, t (1 + 11 * 2^-53)]: never below t, and above it by less than
 * a * 11 * 2^-53 / q < 1 / q, the least distance from t up to the next integer when t is not one.
 */
// @ts-ignore: decorator
@inline
export function quotientByPrime(af: f64, b: u32): u64 {
  return <u64>(af * load<f64>(inverses + (<usize>b << 3)));
}

/**
 * floor(a / primes[b]) for quotients below 2^40, with af = a as f64: the product by the inverse
 * is within one of the quotient (relative error about 2^-50), and the remainder puts it right.
 */
// @ts-ignore: decorator
@inline
export function divByPrime(a: u64, af: f64, b: u32): u64 {
  let q = <u64>(af * load<f64>(inverses + (<usize>b << 3)));
  const p = <u64>load<u32>(primes + (<usize>b << 2));
  const r = <i64>(a - q * p);
  if (r < 0) q--;
  else if (r >= <i64>p) q++;
  return q;
}

/** 1 + 2^-50: the inverses' nudge up, which makes quotientByPrime never fall short. */
const NUDGE: f64 = 1.0 + 1.0 / <f64>((<u64>1) << 50);

/** 1 / d nudged up by a relative 2^-50 (see quotientByPrime), for an integer d >= 1. */
// @ts-ignore: decorator
@inline
export function nudgedInverse(d: f64): f64 {
  return (1.0 / d) * NUDGE;
}

/** Fills the inverses of the primes up to v (within the tables): a computation needs them up to y. */
export function ensureInverses(v: u64): void {
  const last = piOf(v < tableLimit ? v : tableLimit);
  for (let b = inversesReady + 1; b <= last; b++) {
    store<f64>(inverses + (<usize>b << 3), nudgedInverse(<f64>load<u32>(primes + (<usize>b << 2))));
  }
  if (last > inversesReady) inversesReady = last;
}

/** The nth prime (1 <= n <= pi(tableLimit)) from the pi table: a binary search, then a select. */
export function nthFromPi(n: u64): u64 {
  if (n <= 3) return n == 1 ? 2 : n == 2 ? 3 : 5;
  // The last word with fewer than n primes below it.
  let lo: u64 = 0;
  let hi: u64 = tableLimit / 240 + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (load<u64>(piTable + (<usize>mid << 4), 8) < n) lo = mid;
    else hi = mid;
  }
  let bits = load<u64>(piTable + (<usize>lo << 4));
  for (let left = n - load<u64>(piTable + (<usize>lo << 4), 8); left > 1; left--) bits &= bits - 1;
  const t = ctz<u64>(bits);
  return 240 * lo + 30 * (t >> 3) + <u64>load<u8>(RESIDUES + <usize>(t & 7));
}
