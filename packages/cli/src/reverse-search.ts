import type { Keypress } from './enquirer-input.js';
import type { HistoryNavigator } from './history-navigator.js';
import type { EditState } from './line-editing.js';

/** What a key does to a Ctrl-R search, for the line editor to show. */
export type SearchStep =
  /** Show this history entry, the match. */
  | { readonly kind: 'show'; readonly entry: string }
  /** Nothing matches the query: ring the bell, keep what is shown. */
  | { readonly kind: 'no-match' }
  /** Ctrl-G or Ctrl-C: the search is over, the line as it was before it restored. */
  | { readonly kind: 'give-up' }
  /** Enter: the search is over, the match shown runs. */
  | { readonly kind: 'run' }
  /** Any other key: the search is over, the match kept for editing; the key then does what it does. */
  | { readonly kind: 'leave' };

/**
 * A Ctrl-R search of the history, as a shell does it: typing narrows the search (from the match
 * shown), Ctrl-R goes to the next older match, Backspace widens it, Enter runs the match, Ctrl-G
 * or Ctrl-C gives up; any other key ends the search.
 */
export class ReverseSearch {
  /** What is typed. */
  query = '';
  /** The history index of the match shown; undefined before the first. */
  private index: number | undefined;

  constructor(
    private readonly history: HistoryNavigator,
    /** The line and cursor before the search began, restored when it is given up. */
    readonly original: EditState,
  ) {}

  /** The step a key takes; the search is over after any but `show` and `no-match`. */
  key(input: string | undefined, key: Keypress | undefined): SearchStep {
    const { name, ctrl = false, meta = false } = key ?? {};
    if (ctrl && name === 'r') return this.find(this.index);
    if (ctrl && (name === 'g' || name === 'c')) return { kind: 'give-up' };
    if (name === 'backspace') {
      this.query = this.query.slice(0, -1);
      return this.find(undefined);
    }
    if (name === 'return' || name === 'enter') return { kind: 'run' };
    if (!ctrl && !meta && input !== undefined && /^\P{Cc}$/u.test(input)) {
      this.query += input;
      // Narrowing may still match the entry shown.
      return this.find(this.index === undefined ? undefined : this.index + 1);
    }
    return { kind: 'leave' };
  }

  /** The newest match older than `before` (the newest of all when undefined). */
  private find(before: number | undefined): SearchStep {
    const found = this.history.search(this.query, before);
    if (found === undefined) return { kind: 'no-match' };
    this.index = found.index;
    return { kind: 'show', entry: found.entry };
  }
}
