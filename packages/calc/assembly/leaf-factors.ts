// What the hard leaves need to know of each m coprime to 30 up to z, in 16 bits (index e stands
// for coprimeAt(e)): 0 when m cannot be a leaf's m (it is 1 or has a square factor), 0xffff when
// m is a prime, else (lpf(m) << 1) | odd, odd being 1 when m has an odd number of
// prime factors. So `entry > (p << 1 | 1)` says "m is squarefree with every factor above p", and
// the low bit is the leaf's sign -mu(m). Unlike src/prime/leaf-factor-table.ts the table does not
// depend on y, so one table serves every x of a size: a composite m <= z < 17 y whose factors are
// all above p >= 17 has none above y (it would be at least 17 y), so only a prime m can pass y,
// and the hard leaves check those against y themselves.
import { isqrt } from './arith';
import { mark, release, take } from './arena';
import { nudgedInverse, primeAt, tableLimit, tablesBuilt, tablesEnd } from './tables';
import { coprimeAt, coprimeIndexAtMost, RESIDUES } from './wheel';

export let factors: usize = 0;
/**
 * mInverses[e] = 1 / coprimeAt(e) (f64) nudged up as the primes' inverses are (tables.ts), so
 * that x / p / m is one multiplication while x / p < INVERSE_EXACT_BELOW.
 */
export let mInverses: usize = 0;
let factorsZ: u64 = 0;
let factorsBuilt: u32 = 0;

const PRIME: u16 = 0xffff;
const BLOCK: u32 = 1 << 15;

/**
 * Makes the factor table cover m <= z (kept, grown by a quarter when too small, rebuilt with
 * the tables); z must be within the tables' limit.
 */
export function ensureFactors(z: u64): void {
  if (factors != 0 && factorsZ >= z && factorsBuilt == tablesBuilt) return;
  let to = factorsBuilt == tablesBuilt && factorsZ * 5 / 4 > z ? factorsZ * 5 / 4 : z;
  if (to > tableLimit) to = z;
  release(tablesEnd);
  const size = <u64>(coprimeIndexAtMost(to) + 1);
  factors = take(<usize>size << 1);
  mInverses = take(<usize>size << 3);
  build(to, size);
  for (let e: u64 = 0; e < size; e++) store<f64>(mInverses + (<usize>e << 3), nudgedInverse(<f64>coprimeAt(e)));
  factorsZ = to;
  factorsBuilt = tablesBuilt;
}

function build(to: u64, size: u64): void {
  const scratch = mark();
  const root = isqrt(to);
  let top: u32 = 1;
  while (primeAt(top + 1) <= root) top++;
  // Sieving number s: q = primes[4 + s >> 1] (from 7), its square when s is odd.
  const sieving: u32 = top >= 4 ? 2 * (top - 3) : 0;
  const next = take(<usize>sieving << 6); // u64 per progression
  for (let s: u32 = 0; s < sieving; s++) {
    const q = primeAt(4 + (s >> 1));
    const d = s & 1 ? q * q : q;
    for (let r = 0; r < 8; r++) {
      const n = <u64>load<u8>(RESIDUES + r);
      store<u64>(next + ((<usize>(8 * s + r)) << 3), d * n > to ? size : <u64>coprimeIndexAtMost(d * n));
    }
  }
  const lpf = take(<usize>BLOCK << 2);
  const product = take(<usize>BLOCK << 2);
  const odd = take(<usize>BLOCK);
  const squareful = take(<usize>BLOCK);
  for (let start: u64 = 0; start < size; start += BLOCK) {
    const end = start + BLOCK < size ? start + BLOCK : size;
    const len = <usize>(end - start);
    memory.fill(lpf, 0, len << 2);
    for (let i: usize = 0; i < len; i++) store<u32>(product + (i << 2), 1);
    memory.fill(odd, 0, len);
    memory.fill(squareful, 0, len);
    // Primes descend, so the least factor is written last.
    for (let s = <i32>sieving - 2; s >= 0; s -= 2) {
      const q = primeAt(4 + (<u32>s >> 1));
      const step = 8 * q;
      for (let r = 8 * s; r < 8 * s + 8; r++) {
        const at = next + (<usize>r << 3);
        let i = load<u64>(at);
        for (; i < end; i += step) {
          const k = <usize>(i - start);
          store<u32>(lpf + (k << 2), <u32>q);
          store<u32>(product + (k << 2), load<u32>(product + (k << 2)) * <u32>q);
          store<u8>(odd + k, load<u8>(odd + k) ^ 1);
        }
        store<u64>(at, i);
      }
      const squareStep = 8 * q * q;
      for (let r = 8 * s + 8; r < 8 * s + 16; r++) {
        const at = next + (<usize>r << 3);
        let i = load<u64>(at);
        for (; i < end; i += squareStep) store<u8>(squareful + <usize>(i - start), 1);
        store<u64>(at, i);
      }
    }
    for (let e = start; e < end; e++) {
      const k = <usize>(e - start);
      const m = coprimeAt(e);
      let entry: u16 = 0;
      if (!load<u8>(squareful + k) && m != 1) {
        // What is left after the factors up to sqrt(to) is 1 or one prime.
        const rest = m / <u64>load<u32>(product + (k << 2));
        const least = load<u32>(lpf + (k << 2));
        // Every prime is PRIME, the small ones (their own least factor) too: the hard leaves
        // check PRIME entries against y, and the table may have been built for a larger z.
        entry = least == 0 || <u64>least == m ? PRIME : <u16>((least << 1) | (<u32>load<u8>(odd + k) ^ (rest > 1 ? 1 : 0)));
      }
      store<u16>(factors + (<usize>e << 1), entry);
    }
  }
  release(scratch);
}

