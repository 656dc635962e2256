/** A bounded least-recently-used map of a target's id to its answer. */
export class ResultCache {
  private readonly entries = new Map<string, bigint>();

  /** capacity 0 disables the cache. */
  constructor(readonly capacity: number) {}

  get(id: string): bigint | undefined {
    const value = this.entries.get(id);
    if (value === undefined) return undefined;
    // Re-insert so that Map iteration order doubles as recency order.
    this.entries.delete(id);
    this.entries.set(id, value);
    return value;
  }

  set(id: string, value: bigint): void {
    if (this.capacity === 0) return;
    this.entries.delete(id);
    this.entries.set(id, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
