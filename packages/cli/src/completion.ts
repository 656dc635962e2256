import { COMMAND_NAMES } from './commands.js';

/** The outcome of pressing Tab. */
export interface Completion {
  /** The line after completion (unchanged when nothing or several things match). */
  readonly line: string;
  /** The matches to show when there are several; empty otherwise. */
  readonly candidates: readonly string[];
}

/**
 * Completes the command name, and the command name after `help`. A single
 * match completes (a command name gets a trailing space); several complete to
 * their common prefix and are listed.
 */
export function complete(line: string): Completion {
  const words = line.trimStart().split(/[ \t]+/);
  const leading = line.slice(0, line.length - line.trimStart().length);
  if (words.length === 1) {
    return completeWord(line, leading, words[0] ?? '', ' ');
  }
  if (words.length === 2 && words[0]?.toLowerCase() === 'help') {
    const prefix = line.slice(0, line.length - (words[1] ?? '').length);
    return completeWord(line, prefix, words[1] ?? '', '');
  }
  return { line, candidates: [] };
}

function completeWord(line: string, before: string, word: string, suffix: string): Completion {
  const lower = word.toLowerCase();
  const matches = COMMAND_NAMES.filter((name) => name.startsWith(lower));
  const [only] = matches;
  if (matches.length === 1 && only !== undefined) {
    return { line: `${before}${only}${suffix}`, candidates: [] };
  }
  if (matches.length === 0) {
    return { line, candidates: [] };
  }
  const common = commonPrefix(matches);
  const completed = common.length > lower.length ? `${before}${common}` : line;
  return { line: completed, candidates: matches };
}

function commonPrefix(words: readonly string[]): string {
  const [first = '', ...rest] = words;
  let length = first.length;
  for (const word of rest) {
    while (!word.startsWith(first.slice(0, length))) {
      length -= 1;
    }
  }
  return first.slice(0, length);
}
