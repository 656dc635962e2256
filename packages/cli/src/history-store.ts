import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** How many entries the history keeps, in memory and on disk. */
export const HISTORY_LIMIT = 1000;

/** Where the history lives: `$CALCLI_HISTORY`, else under the XDG state directory. */
export function historyPath(env: Readonly<Record<string, string | undefined>>): string {
  if (env.CALCLI_HISTORY) {
    return env.CALCLI_HISTORY;
  }
  const stateHome = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(stateHome, 'twelvefa', 'calcli_history');
}

/**
 * The REPL's command history, one entry per line in a file, oldest first. It
 * skips blank lines and consecutive duplicates and keeps the newest `limit`.
 */
export class HistoryStore {
  private errorListener: ((error: Error) => void) | undefined;

  private constructor(
    private readonly path: string,
    private readonly limit: number,
    private readonly lines: string[],
  ) {}

  /** Loads the history file; a missing file is an empty history. */
  static load(path: string, limit = HISTORY_LIMIT): HistoryStore {
    return new HistoryStore(path, limit, readEntries(path, limit));
  }

  /** Called once when the file cannot be written; the session goes on without saving. */
  onError(listener: (error: Error) => void): void {
    this.errorListener = listener;
  }

  /** Entries, oldest first. */
  get entries(): readonly string[] {
    return this.lines;
  }

  /** Records a line and saves the history. */
  add(line: string): void {
    const entry = line.trim();
    if (!append(this.lines, entry, this.limit)) {
      return;
    }
    this.save(entry);
  }

  private save(entry: string): void {
    try {
      // Re-read the file so that sessions running side by side keep each other's entries.
      const onDisk = readEntries(this.path, this.limit);
      append(onDisk, entry, this.limit);
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const temporary = `${this.path}.${process.pid}.tmp`;
      writeFileSync(temporary, `${onDisk.join('\n')}\n`, { mode: 0o600 });
      renameSync(temporary, this.path);
    } catch (error) {
      const listener = this.errorListener;
      this.errorListener = undefined;
      listener?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function readEntries(path: string, limit: number): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const entries: string[] = [];
  for (const line of text.split('\n')) {
    append(entries, line.trim(), limit);
  }
  return entries;
}

/** Appends unless blank or equal to the newest entry; drops the oldest beyond limit. */
function append(entries: string[], entry: string, limit: number): boolean {
  if (entry === '' || entries.at(-1) === entry) {
    return false;
  }
  entries.push(entry);
  if (entries.length > limit) {
    entries.splice(0, entries.length - limit);
  }
  return true;
}
