import { div } from './exact-division.js';
import { phiTiny } from './phi-tiny.js';
import type { ReferenceParams } from './prime-count-params.js';
import { primeCountTables } from './prime-count-tables.js';

/**
 * Phi0: the ordinary leaves, mu(n) phi(x / n, k) summed over the squarefree n <= z whose prime
 * factors all lie in (p_k, y] (n = 1 included), each phi in constant time.
 */
export function ordinaryLeafSum(params: ReferenceParams): number {
  const { x, y, z, k } = params;
  const { primes, pi } = primeCountTables(params);
  const a = pi[y]!;
  // n runs over products of ascending primes; mu(n) flips with each factor.
  const visit = (from: number, n: number, mu: number): number => {
    let total = 0;
    for (let b = from + 1; b <= a; b++) {
      const next = n * primes[b]!;
      if (next > z) break;
      total += mu * phiTiny(div(x, next), k) + visit(b, next, -mu);
    }
    return total;
  };
  return phiTiny(x, k) + visit(k, 1, -1);
}
