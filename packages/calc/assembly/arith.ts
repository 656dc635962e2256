// Exact integer arithmetic on u64 (x reaches 4 * 10^17 at n = 10^16).
//
// A double becomes an integer through <u64> (the unsigned saturating conversion) in every hot
// loop: V8 (Node 20) compiles it to cvttsd2si and a sign test, where a signed or 32-bit one adds
// a roundsd into the same register each time (a chain from one conversion to the next), a
// conversion back and a compare. 9-10% of the easy leaves on the AMD VM (docs/benchmarks.md).

const TWO_52: u64 = (<u64>1) << 52;

/**
 * floor(a / b) for b >= 1. Below 2^52 the double quotient, truncated, is exact (a + b < 2^53:
 * rounding moves it by less than the distance to the next integer; see
 * src/prime/exact-division.ts), and a double division is quicker than a 64-bit one.
 */
// @ts-ignore: decorator
@inline
export function divu(a: u64, b: u64): u64 {
  if (a < TWO_52) return <u64>(<f64>(<i64>a) / <f64>(<i64>b));
  return a / b;
}

/** floor(sqrt(x)) for x < 2^63. */
export function isqrt(x: u64): u64 {
  let r = <u64>Math.sqrt(<f64>x);
  while (r * r > x) r--;
  while ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/** floor(cbrt(x)) for x < 2^63. */
export function icbrt(x: u64): u64 {
  let r = <u64>Math.cbrt(<f64>x);
  while (r * r * r > x) r--;
  while ((r + 1) * (r + 1) * (r + 1) <= x) r++;
  return r;
}

/** floor(x^(1/4)). */
export function iroot4(x: u64): u64 {
  return isqrt(isqrt(x));
}

// @ts-ignore: decorator
@inline
export function min64(a: u64, b: u64): u64 {
  return a < b ? a : b;
}

// @ts-ignore: decorator
@inline
export function max64(a: u64, b: u64): u64 {
  return a > b ? a : b;
}
