// The editing commands of the REPL's line, as readline and shells bind them, on plain data:
// a line and a cursor in, a line and a cursor out. The editor maps keys to these.

/** A line being edited: its text and the cursor's offset in it. */
export interface EditState {
  readonly text: string;
  readonly cursor: number;
}

/** An edit's result; `killed` is text cut to the kill ring (Ctrl-Y brings it back). */
export interface Edited extends EditState {
  readonly killed?: string;
}

const isWordChar = (char: string | undefined): boolean =>
  char !== undefined && /[\p{L}\p{N}_]/u.test(char);

/** Where the word before the cursor starts (Alt-B), as readline: skip non-word characters, then the word. */
export function wordStartBefore({ text, cursor }: EditState): number {
  let at = cursor;
  while (at > 0 && !isWordChar(text[at - 1])) at -= 1;
  while (at > 0 && isWordChar(text[at - 1])) at -= 1;
  return at;
}

/** Where the word after the cursor ends (Alt-F). */
export function wordEndAfter({ text, cursor }: EditState): number {
  let at = cursor;
  while (at < text.length && !isWordChar(text[at])) at += 1;
  while (at < text.length && isWordChar(text[at])) at += 1;
  return at;
}

/** Ctrl-K: cut from the cursor to the end. */
export function killToEnd({ text, cursor }: EditState): Edited {
  return { text: text.slice(0, cursor), cursor, killed: text.slice(cursor) };
}

/** Ctrl-U: cut from the start to the cursor. */
export function killToStart({ text, cursor }: EditState): Edited {
  return { text: text.slice(cursor), cursor: 0, killed: text.slice(0, cursor) };
}

/** Ctrl-W: cut the whitespace-delimited word before the cursor, as readline's unix-word-rubout. */
export function killWordBefore({ text, cursor }: EditState): Edited {
  let at = cursor;
  while (at > 0 && /\s/.test(text[at - 1] ?? '')) at -= 1;
  while (at > 0 && !/\s/.test(text[at - 1] ?? '')) at -= 1;
  return {
    text: text.slice(0, at) + text.slice(cursor),
    cursor: at,
    killed: text.slice(at, cursor),
  };
}

/** Ctrl-Y: insert `yanked` at the cursor. */
export function yank({ text, cursor }: EditState, yanked: string): Edited {
  return {
    text: text.slice(0, cursor) + yanked + text.slice(cursor),
    cursor: cursor + yanked.length,
  };
}
