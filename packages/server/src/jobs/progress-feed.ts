/** Told how many parts of one computation are done, of how many. */
export type ProgressListener = (done: number, total: number) => void;

/**
 * The progress of one computation: runners report it as parts finish; watchers are told each
 * report, and the latest one at once when they start watching.
 */
export class ProgressFeed {
  private latest: readonly [done: number, total: number] | undefined;
  private readonly listeners = new Set<ProgressListener>();

  /** The latest report, if any. */
  get last(): readonly [done: number, total: number] | undefined {
    return this.latest;
  }

  report(done: number, total: number): void {
    this.latest = [done, total];
    for (const listener of this.listeners) listener(done, total);
  }

  /** Starts telling `listener`; returns the function that stops it. */
  watch(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    if (this.latest !== undefined) listener(...this.latest);
    return () => this.listeners.delete(listener);
  }
}
