/**
 * How many leading entries of an array sorted by absolute value have absolute value <= value.
 * For arrays of non-negative numbers (prime lists) that is plainly "how many are <= value".
 */
export function countAtMost(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (Math.abs(sorted[mid]!) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
