/** A bounded least-recently-used map of n to its nth prime. */
export class ResultCache {
  private readonly entries = new Map<number, number>();

  /** capacity 0 disables the cache. */
  constructor(readonly capacity: number) {}

  get(n: number): number | undefined {
    const value = this.entries.get(n);
    if (value === undefined) return undefined;
    // Re-insert so that Map iteration order doubles as recency order.
    this.entries.delete(n);
    this.entries.set(n, value);
    return value;
  }

  set(n: number, value: number): void {
    if (this.capacity === 0) return;
    this.entries.delete(n);
    this.entries.set(n, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
