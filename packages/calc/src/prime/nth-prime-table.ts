import { PiTable } from './pi-table.js';

/** Primes per checkpoint: a lookup adds at most this many gaps. */
const STRIDE = 64;

/**
 * The first `size` primes in about one byte each: the gap to the next prime (every gap below
 * 4 * 10^8 fits in a byte) and an absolute value every STRIDE primes.
 */
export class NthPrimeTable {
  private readonly gaps: Uint8Array;
  private readonly checkpoints: Float64Array;
  /** The largest prime in the table. */
  readonly largest: number;

  constructor(readonly size: number) {
    // p(n) < n (ln n + ln ln n) for n >= 6.
    const logN = Math.log(Math.max(size, 6));
    const bound = Math.ceil(Math.max(size, 6) * (logN + Math.log(logN)));
    const piTable = new PiTable(bound);
    this.gaps = new Uint8Array(size);
    this.checkpoints = new Float64Array(Math.ceil(size / STRIDE));
    let index = 0;
    let previous = 0;
    for (let p = 2; index < size; p = piTable.nextPrime(p)) {
      if (index % STRIDE === 0) this.checkpoints[index / STRIDE] = p;
      else this.gaps[index] = p - previous;
      previous = p;
      index++;
    }
    this.largest = previous;
  }

  /** The nth prime, for 1 <= n <= size. */
  nth(n: number): number {
    const index = n - 1;
    const block = Math.floor(index / STRIDE);
    let p = this.checkpoints[block]!;
    for (let i = block * STRIDE + 1; i <= index; i++) p += this.gaps[i]!;
    return p;
  }
}
