/**
 * Walks a history with Up and Down the way a shell does: Up from the line
 * being typed goes to the newest entry, Down past the newest brings the typed
 * line back.
 */
export class HistoryNavigator {
  private readonly entries: readonly string[];
  private index: number;
  private draft = '';

  constructor(entries: readonly string[]) {
    this.entries = entries;
    this.index = entries.length;
  }

  /** The older entry, or undefined at the oldest. `current` is what is typed now. */
  up(current: string): string | undefined {
    if (this.index === 0) {
      return undefined;
    }
    if (this.index === this.entries.length) {
      this.draft = current;
    }
    this.index -= 1;
    return this.entries[this.index];
  }

  /** The newer entry, the saved draft after the newest, or undefined when not walking. */
  down(): string | undefined {
    if (this.index >= this.entries.length) {
      return undefined;
    }
    this.index += 1;
    return this.index === this.entries.length ? this.draft : this.entries[this.index];
  }

  /**
   * Ctrl-R: the newest entry older than `before` (an index; the end to start) that contains
   * `query`, with its index for the next, older search; undefined when none does.
   */
  search(
    query: string,
    before = this.entries.length,
  ): { entry: string; index: number } | undefined {
    for (let index = Math.min(before, this.entries.length) - 1; index >= 0; index--) {
      const entry = this.entries[index];
      if (entry?.includes(query)) return { entry, index };
    }
    return undefined;
  }
}
