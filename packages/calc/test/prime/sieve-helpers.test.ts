import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { div } from '../../src/prime/exact-division.js';
import {
  coprimeAt,
  coprimeIndexAtMost,
  LeafFactorTable,
} from '../../src/prime/leaf-factor-table.js';
import { OddWindowSieve } from '../../src/prime/odd-window-sieve.js';
import { phiTiny } from '../../src/prime/phi-tiny.js';
import { PiTable } from '../../src/prime/pi-table.js';
import { piArray, primeList } from '../../src/prime/prime-tables.js';
import { nthPrimeNear } from '../../src/prime/prime-walk.js';
import { primesUpTo } from '../../src/prime/sieve.js';

/** Trial division: slow, obviously right. */
function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

describe('primesUpTo and primeList', () => {
  it('list exactly the primes up to the limit', () => {
    const expected = Array.from({ length: 1001 }, (_, i) => i).filter(isPrime);
    expect([...primesUpTo(1000)]).toEqual(expected);
    expect([...primesUpTo(1)]).toEqual([]);
    expect([...primesUpTo(2)]).toEqual([2]);
    expect([...primeList(1000)]).toEqual([0, ...expected]);
  });

  it('agree between the plain sieve and the windowed one above 2^22', () => {
    const limit = (1 << 22) + 100_001;
    const windowed = primeList(limit);
    const plain = primesUpTo(limit);
    expect(windowed.length - 1).toBe(plain.length);
    expect(plain.every((p, i) => windowed[i + 1] === p)).toBe(true);
  });
});

describe('piArray', () => {
  it('counts the primes up to every u', () => {
    const limit = 20_000;
    const pi = piArray(primeList(limit), limit);
    let count = 0;
    for (let u = 0; u <= limit; u++) {
      if (isPrime(u)) count++;
      expect(pi[u]).toBe(count);
    }
  });
});

describe('OddWindowSieve', () => {
  it('leaves exactly the odd primes of windows of any alignment', () => {
    const sievingPrimes = primeList(1 << 16);
    // Trial division by the primes up to 2^16 covers every n below 2^32.
    const trialPrimes = primesUpTo(1 << 16);
    const isPrimeBelow2to32 = (n: number): boolean => {
      if (n < 2) return false;
      for (const p of trialPrimes) {
        if (p * p > n) return true;
        if (n % p === 0) return n === p;
      }
      return true;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 10_000 }),
        fc.integer({ min: 1, max: 9000 }),
        (low, width) => {
          const high = low + width;
          const sieve = new OddWindowSieve(1 << 12);
          sieve.begin(low, high, sievingPrimes);
          const found: number[] = [];
          while (sieve.next()) {
            for (let w = 0; w < sieve.used; w++) {
              for (let j = 0; j < 32; j++) {
                if ((sieve.words[w]! >>> j) & 1) found.push(sieve.base + 64 * w + 2 * j + 1);
              }
            }
          }
          const expected: number[] = [];
          for (let n = low + ((low & 1) ^ 1); n < high; n += 2)
            if (isPrimeBelow2to32(n)) expected.push(n);
          expect(found).toEqual(expected);
        },
      ),
      {
        numRuns: 60,
        examples: [
          [0, 200],
          [64, 100],
          [1, 9000],
          [2 ** 32 - 10_000, 9000],
        ],
      },
    );
  });
});

describe('LeafFactorTable', () => {
  it('holds (lpf << 1 | odd factor count), or 0xffff for a prime, for each squarefree m coprime to 30 with P+(m) <= y', () => {
    const [from, to, y] = [1000, 60_000, 20_000];
    const table = new LeafFactorTable(from, to, y, primeList(300));
    for (let i = coprimeIndexAtMost(from - 1) + 1; coprimeAt(i) <= to; i++) {
      const m = coprimeAt(i);
      const factors: number[] = [];
      let rest = m;
      let squarefree = true;
      for (let p = 2; p * p <= rest; p++) {
        if (rest % p !== 0) continue;
        factors.push(p);
        rest /= p;
        if (rest % p === 0) squarefree = false;
        while (rest % p === 0) rest /= p;
      }
      if (rest > 1) factors.push(rest);
      const usable = squarefree && factors[factors.length - 1]! <= y;
      const prime = factors.length === 1 && factors[0] === m;
      const expected = !usable ? 0 : prime ? 0xffff : (factors[0]! << 1) | (factors.length & 1);
      expect(table.entries[i - table.firstIndex]).toBe(expected);
    }
  });
});

describe('PiTable', () => {
  const limit = 300_000;
  const table = new PiTable(limit);
  const primes = primesUpTo(limit);

  it('counts primes at every u around word boundaries and at random u', () => {
    let count = 0;
    let k = 0;
    for (let u = 0; u <= 5000; u++) {
      if (k < primes.length && primes[k] === u) {
        count++;
        k++;
      }
      expect(table.pi(u)).toBe(count);
    }
    expect(table.pi(limit)).toBe(primes.length);
  });
});

describe('nthPrimeNear', () => {
  it('walks up or down from any x to the nth prime', () => {
    const primes = primesUpTo(3_000_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 2_500_000 }),
        fc.integer({ min: -3000, max: 3000 }),
        (x, offset) => {
          let count = 0;
          while (count < primes.length && primes[count]! <= x) count++;
          const n = Math.max(1, count + offset);
          expect(nthPrimeNear(n, x, count)).toBe(primes[n - 1]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('phiTiny', () => {
  it('counts the integers with no factor among the first c primes', () => {
    const small = [2, 3, 5, 7, 11, 13];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 6 }), (x, c) => {
        let count = 0;
        for (let k = 1; k <= x; k++) if (small.slice(0, c).every((p) => k % p !== 0)) count++;
        expect(phiTiny(x, c)).toBe(count);
      }),
      { numRuns: 30 },
    );
  });
});

describe('div', () => {
  it('is the exact floor quotient for a + b below 2^53, near the limit included', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 52n }),
        fc.bigInt({ min: 1n, max: 2n ** 40n }),
        (a, b) => {
          expect(div(Number(a), Number(b))).toBe(Number(a / b));
          // Right below a multiple, where a rounding quotient would reach the next integer.
          const below = (a / b) * b - 1n;
          if (below >= 0n) expect(div(Number(below), Number(b))).toBe(Number(below / b));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
