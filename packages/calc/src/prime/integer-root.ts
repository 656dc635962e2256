/** floor(sqrt(x)) exactly, for 0 <= x < 2^53. */
export function isqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x));
  while (r * r > x) r--;
  while ((r + 1) * (r + 1) <= x) r++;
  return r;
}

/** floor(cbrt(x)) exactly, for 0 <= x < 2^53. */
export function icbrt(x: number): number {
  let r = Math.floor(Math.cbrt(x));
  while (r * r * r > x) r--;
  while ((r + 1) * (r + 1) * (r + 1) <= x) r++;
  return r;
}

/** floor(x^(1/4)) exactly, for 0 <= x < 2^53: the floor of a root of a floor is the floor of the root. */
export function iroot4(x: number): number {
  return isqrt(isqrt(x));
}

/** floor(sqrt(x)) exactly for any x >= 0n. */
export function isqrtBig(x: bigint): bigint {
  if (x < 0n) throw new RangeError(`isqrt of ${x}`);
  let r = BigInt(Math.floor(Math.sqrt(Number(x))));
  while (r * r > x) r--;
  while ((r + 1n) * (r + 1n) <= x) r++;
  return r;
}

/** floor(cbrt(x)) exactly for any x >= 0n. */
export function icbrtBig(x: bigint): bigint {
  let r = BigInt(Math.floor(Math.cbrt(Number(x))));
  while (r * r * r > x) r--;
  while ((r + 1n) * (r + 1n) * (r + 1n) <= x) r++;
  return r;
}
