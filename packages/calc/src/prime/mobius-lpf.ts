/** Stands for "no prime factor" (the least prime factor of 1). */
const NO_FACTOR = 0x7fffffff;

/**
 * For every 1 <= m <= limit: mu(m) * lpf(m), where mu is the Moebius function and lpf the least
 * prime factor (lpf(1) counts as infinite), so one lookup answers both "is m squarefree" and
 * "are all of m's factors above p": m qualifies with sign +1 when the value is > p, with sign -1
 * when it is < -p.
 */
export function mobiusTimesLeastFactor(limit: number): Int32Array {
  const lpf = new Int32Array(limit + 1);
  const table = new Int32Array(limit + 1);
  table[1] = NO_FACTOR;
  for (let i = 2; i <= limit; i++) {
    if (lpf[i] === 0) {
      for (let j = i; j <= limit; j += i) if (lpf[j] === 0) lpf[j] = i;
    }
  }
  // mu(m) = -mu(m / p) when p = lpf(m) divides m once, 0 when p^2 divides m.
  for (let m = 2; m <= limit; m++) {
    const p = lpf[m]!;
    const rest = m / p;
    if (rest % p === 0) {
      table[m] = 0;
    } else {
      const restValue = table[rest]!;
      table[m] = restValue === 0 ? 0 : restValue > 0 ? -p : p;
    }
  }
  return table;
}
