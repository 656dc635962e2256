import { applyPatterns, PATTERN_PRIMES, PATTERN_PRIMES_MAX } from './presieve-patterns.js';
import { fillFromWheel, WHEEL_PRIMES } from './wheel-pattern.js';

/** The primes the wheel and the patterns remove at once, which must be put back near 0. */
const PRESIEVED_PRIMES: readonly number[] = [...WHEEL_PRIMES, ...PATTERN_PRIMES];

/**
 * Sieves [low, high) window by window, leaving exactly the odd primes: bit j of word w stands
 * for base + 64w + 2j + 1, where base is the window's start rounded down to a multiple of 64.
 * The wheel and the patterns remove the multiples of 3..113 a word at a time; larger primes are
 * crossed off, each from where it stopped in the previous window.
 */
export class OddWindowSieve {
  readonly words: Int32Array;
  /** The multiple of 64 that bit 0 of word 0 counts from. */
  base = 0;
  /** Words in use for the current window. */
  used = 0;
  /** The current window: [windowLow, windowHigh). */
  windowLow = 0;
  windowHigh = 0;
  private high = 0;
  private primes: Uint32Array = new Uint32Array(0);
  /** Index in primes of the first prime crossed off (the first above the patterns). */
  private firstCrossed = 0;
  /** Primes [firstCrossed, active) have their next multiple in offsets, as a bit index from base. */
  private active = 0;
  private offsets = new Int32Array(0);
  /** primes[firstCrossed, crossing) are the ones with p^2 < high. */
  private crossing = 0;

  /** Windows of `span` numbers, a multiple of 64. */
  constructor(readonly span: number) {
    if (span % 64 !== 0) throw new RangeError(`window span ${span} is not a multiple of 64`);
    this.words = new Int32Array(span / 64);
  }

  /** Prepares to sieve [low, high) with `primes` (1-based, ascending, covering sqrt(high)). */
  begin(low: number, high: number, primes: Uint32Array): void {
    this.high = high;
    this.primes = primes;
    this.firstCrossed = 1;
    while (this.firstCrossed < primes.length && primes[this.firstCrossed]! <= PATTERN_PRIMES_MAX) {
      this.firstCrossed++;
    }
    this.active = this.firstCrossed;
    // Only the primes up to sqrt(high) ever cross anything off (the list may run further).
    let lo = this.firstCrossed;
    let hi = primes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (primes[mid]! * primes[mid]! < high) lo = mid + 1;
      else hi = mid;
    }
    this.crossing = lo;
    if (this.offsets.length < lo) this.offsets = new Int32Array(lo);
    this.base = low - (low % 64) - this.span; // next() moves it to the first window
    this.windowLow = low;
    this.windowHigh = low;
  }

  /** Sieves the next window; false once [low, high) is done. */
  next(): boolean {
    if (this.windowHigh >= this.high) return false;
    const half = this.span / 2;
    this.base += this.span;
    const { base, words, primes, offsets } = this;
    this.windowLow = this.windowHigh;
    this.windowHigh = Math.min(base + this.span, this.high);
    const used = Math.ceil((this.windowHigh - base) / 64);
    this.used = used;
    fillFromWheel(words, base, used);
    applyPatterns(words, base, used);
    const bits = used * 32;
    let b = this.firstCrossed;
    for (; b < this.active; b++) {
      const p = primes[b]!;
      let i = offsets[b]!;
      for (; i < bits; i += p) words[i >>> 5]! &= ~(1 << (i & 31));
      offsets[b] = i - half;
    }
    for (; b < this.crossing; b++) {
      const p = primes[b]!;
      const square = p * p;
      if (square >= this.windowHigh) break;
      let multiple = square >= base ? square : Math.ceil(base / p) * p;
      if ((multiple & 1) === 0) multiple += p;
      let i = (multiple - base - 1) / 2;
      for (; i < bits; i += p) words[i >>> 5]! &= ~(1 << (i & 31));
      offsets[b] = i - half;
    }
    this.active = b;
    if (base < PATTERN_PRIMES_MAX) {
      // The wheel and the patterns keep 1 and drop 3..113 themselves: put the numbers right.
      if (base === 0) words[0]! &= ~1;
      for (const p of PRESIEVED_PRIMES) {
        const i = (p - base - 1) / 2;
        if (i >= 0 && i < bits) words[i >>> 5]! |= 1 << (i & 31);
      }
    }
    this.clearOutside();
    return true;
  }

  /** Clears the bits of numbers outside [windowLow, windowHigh). */
  private clearOutside(): void {
    const words = this.words;
    const first = (this.windowLow - this.base) >>> 1; // odd numbers below windowLow
    for (let i = 0; i < first >>> 5; i++) words[i] = 0;
    if (first & 31) words[first >>> 5]! &= ~((1 << (first & 31)) - 1);
    const end = (this.windowHigh - this.base) >>> 1; // odd numbers from end on are >= windowHigh
    const last = this.used - 1;
    if (end >>> 5 <= last && end & 31) words[end >>> 5]! &= (1 << (end & 31)) - 1;
    for (let w = (end + 31) >>> 5; w <= last; w++) words[w] = 0;
  }
}
