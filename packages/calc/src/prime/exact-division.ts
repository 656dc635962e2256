/**
 * Every quantity of the prime count is an integer held in a double. Sums and products of such
 * integers are exact while the result stays below 2^53, so products are only formed where they
 * are bounded by x (for x <= PRIME_COUNT_MAX_X < 2^52) and larger ones are replaced by repeated
 * division: x / (p * q * r) is div(div(div(x, p), q), r), since floor(floor(a / b) / c) equals
 * floor(a / (b * c)) for positive integers.
 */

/**
 * floor(a / b) for integers a >= 0 and b >= 1 with a + b < 2^53.
 *
 * Why the double quotient never rounds up to the next integer: write a / b = k + r / b with
 * 0 <= r < b. If r = 0 the quotient k <= a is exact. Otherwise k + 1 lies (b - r) / b >= 1 / b
 * above the true quotient, while rounding to nearest moves it by at most half an ulp, at most
 * (k + 1) * 2^-53 <= (a + b) / b * 2^-53 < 1 / b. So the rounded quotient stays in [k, k + 1).
 */
export function div(a: number, b: number): number {
  return Math.floor(a / b);
}
