import { complete } from './completion.js';
import { Input, type Keypress } from './enquirer-input.js';
import type { HistoryNavigator } from './history-navigator.js';
import { pumpKeypresses } from './keypress-pump.js';
import {
  type Edited,
  type EditState,
  killToEnd,
  killToStart,
  killWordBefore,
  wordEndAfter,
  wordStartBefore,
  yank,
} from './line-editing.js';
import { ReverseSearch } from './reverse-search.js';
import { CLEAR_SCREEN } from './screen-control.js';

/** What reading one line produced. */
export type LineOutcome =
  | { readonly kind: 'line'; readonly text: string }
  /** Ctrl-C on an empty line, the first time. */
  | { readonly kind: 'interrupt' }
  /** Ctrl-D on an empty line, or Ctrl-C twice. */
  | { readonly kind: 'exit' };

export interface LineEditorOptions {
  /** The prompt text before the cursor, without its trailing space. */
  readonly prompt: string;
  readonly history: HistoryNavigator;
  /** Whether Ctrl-C on an empty line exits (it was just pressed once). */
  readonly exitOnInterrupt: boolean;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
}

/**
 * The REPL's line editor: enquirer's Input with the keys a shell user expects.
 * enquirer walks history only on Alt+Up/Down, cancels the whole prompt on
 * Ctrl-C or Escape and binds many control keys its own way; here Up/Down walk
 * the history, Tab completes, Ctrl-C clears the line, Ctrl-D on an empty line
 * ends the session, the readline keys (Home/End, Ctrl-A/E/B/F/K/U/W/Y,
 * Alt-B/F, Ctrl-L) edit as in a shell, and Ctrl-R searches the history.
 */
class LineEditor extends Input {
  // ECMAScript private fields, unlike the house's `private`: enquirer's Input has plain members
  // such as `options` that ours must not shadow.
  readonly #options: LineEditorOptions;
  #outcome: LineOutcome['kind'] = 'line';
  #exitOnInterrupt: boolean;
  #candidates: readonly string[] = [];
  #killRing = '';
  #search: ReverseSearch | undefined;

  constructor(options: LineEditorOptions) {
    super({ name: 'line', message: options.prompt, stdin: options.stdin, stdout: options.stdout });
    this.#options = options;
    this.#exitOnInterrupt = options.exitOnInterrupt;
  }

  get outcome(): LineOutcome {
    return this.#outcome === 'line' ? { kind: 'line', text: this.input } : { kind: this.#outcome };
  }

  override async keypress(input: string | undefined, key?: Keypress): Promise<void> {
    const name = key?.name;
    if (!(key?.ctrl && name === 'c')) {
      this.#exitOnInterrupt = false;
    }
    this.#candidates = [];
    if (this.#search !== undefined) return this.#searchKeypress(this.#search, input, key);
    const edit = this.#editFor(key);
    if (edit !== undefined) return edit();
    return super.keypress(input, key);
  }

  /** The readline binding of a key, when it has one; enquirer handles the rest. */
  #editFor(key: Keypress | undefined): (() => Promise<void> | void) | undefined {
    if (key === undefined) return undefined;
    const { name, ctrl = false, meta = false } = key;
    const state: EditState = { text: this.input, cursor: this.cursor };
    const plainCtrl = (letter: string): boolean => ctrl && !meta && name === letter;
    if (name === 'home' || plainCtrl('a')) return () => this.#moveTo(0);
    if (name === 'end' || plainCtrl('e')) return () => this.#moveTo(this.input.length);
    if (plainCtrl('b')) return () => this.#moveTo(this.cursor - 1);
    if (plainCtrl('f')) return () => this.#moveTo(this.cursor + 1);
    if (meta && !ctrl && name === 'b') return () => this.#moveTo(wordStartBefore(state));
    if (meta && !ctrl && name === 'f') return () => this.#moveTo(wordEndAfter(state));
    if (plainCtrl('k')) return () => this.#apply(killToEnd(state));
    if (plainCtrl('u')) return () => this.#apply(killToStart(state));
    if (plainCtrl('w')) return () => this.#apply(killWordBefore(state));
    if (plainCtrl('y')) return () => this.#apply(yank(state, this.#killRing));
    if (plainCtrl('l')) return () => this.#clearScreen();
    if (plainCtrl('r')) return () => this.#startSearch();
    return undefined;
  }

  #moveTo(cursor: number): Promise<void> {
    this.cursor = Math.max(0, Math.min(this.input.length, cursor));
    return this.render();
  }

  #apply(edited: Edited): Promise<void> {
    if (edited.killed !== undefined && edited.killed !== '') this.#killRing = edited.killed;
    this.input = edited.text;
    this.cursor = edited.cursor;
    return this.render();
  }

  /** Ctrl-L: the screen cleared (scrollback too), the line being typed redrawn at the top. */
  #clearScreen(): Promise<void> {
    this.stdout.write(CLEAR_SCREEN);
    return this.render();
  }

  #startSearch(): Promise<void> {
    this.#search = new ReverseSearch(this.#options.history, {
      text: this.input,
      cursor: this.cursor,
    });
    return this.render();
  }

  /** A key during Ctrl-R (reverse-search.ts says what each does). */
  #searchKeypress(
    search: ReverseSearch,
    input: string | undefined,
    key: Keypress | undefined,
  ): Promise<void> | void {
    const step = search.key(input, key);
    switch (step.kind) {
      case 'show':
        this.input = step.entry;
        this.cursor = step.entry.length;
        return this.render();
      case 'no-match':
        return this.alert();
      case 'give-up':
        this.#search = undefined;
        this.input = search.original.text;
        this.cursor = search.original.cursor;
        return this.render();
      case 'run':
        this.#search = undefined;
        return this.submit();
      case 'leave':
        this.#search = undefined;
        return key?.name === 'escape' ? this.render() : this.keypress(input, key);
    }
  }

  /** Listens to the keyboard like enquirer's `keypress.listen`, but see keypress-pump.ts. */
  override start(): void {
    if (this.stop) return;
    this.stop = pumpKeypresses(
      this.stdin,
      (input, key) => this.keypress(input, key),
      (error) => {
        this.stop?.();
        this.emit('cancel', error);
      },
    );
    this.once('close', this.stop);
    this.emit('start', this);
  }

  // The prompt is plain `calc> `: no enquirer `?` prefix or `›` separator.
  override async prefix(): Promise<string> {
    return '';
  }

  override async separator(): Promise<string> {
    return '';
  }

  override async message(): Promise<string> {
    const search = this.#search;
    return search === undefined ? this.#options.prompt : `(reverse-i-search)\`${search.query}':`;
  }

  /** Shows the several matches of the last Tab under the line. */
  override async footer(): Promise<string | undefined> {
    if (this.#candidates.length === 0 || this.state.submitted) {
      return undefined;
    }
    return this.styles.muted(this.#candidates.join('  '));
  }

  /** Up: the previous history entry. */
  up(): Promise<void> | void {
    return this.#show(this.#options.history.up(this.input));
  }

  /** Down: the next history entry, then the line that was being typed. */
  down(): Promise<void> | void {
    return this.#show(this.#options.history.down());
  }

  /** Tab (enquirer's `next` action): complete the command name. */
  next(): Promise<void> | void {
    if (this.cursor !== this.input.length) {
      return this.alert();
    }
    const { line, candidates } = complete(this.input);
    if (line === this.input && candidates.length === 0) {
      return this.alert();
    }
    this.#candidates = candidates;
    this.input = line;
    this.cursor = line.length;
    return this.render();
  }

  /** Shift-Tab: nothing to go back to. */
  prev(): void {
    this.alert();
  }

  /** Ctrl-C (and Escape): clear the line; on an empty line, offer to exit or exit. */
  cancel(): Promise<void> | void {
    if (this.state.keypress?.name === 'escape') {
      return this.alert();
    }
    if (this.input !== '') {
      this.input = '';
      this.cursor = 0;
      return this.render();
    }
    this.#outcome = this.#exitOnInterrupt ? 'exit' : 'interrupt';
    return this.submit();
  }

  /** Ctrl-D on an empty line exits; otherwise (and Delete) it deletes forward. */
  override deleteForward(): Promise<void> | void {
    const key = this.state.keypress;
    if (key?.ctrl && key.name === 'd' && this.input === '') {
      this.#outcome = 'exit';
      return this.submit();
    }
    return super.deleteForward();
  }

  #show(entry: string | undefined): Promise<void> | void {
    if (entry === undefined) {
      return this.alert();
    }
    this.input = entry;
    this.cursor = entry.length;
    return this.render();
  }
}

/** Reads one line from the terminal. */
export async function readLine(options: LineEditorOptions): Promise<LineOutcome> {
  const editor = new LineEditor(options);
  await editor.run();
  return editor.outcome;
}
