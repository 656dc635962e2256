/** What the user can type, in the REPL, with `-e` or on piped stdin. */
export interface CommandSpec {
  readonly usage: string;
  readonly summary: string;
}

/** Every command, in the order help lists them. `quit` is an alias of `exit`. */
export const COMMANDS = {
  add: { usage: 'add A B', summary: 'print the exact sum of two int64 integers' },
  max: { usage: 'max A B', summary: 'print the larger of two int64 integers' },
  np: {
    usage: 'np N [N ...]',
    summary: 'print the Nth prime for each N, in order (the 1st prime is 2)',
  },
  pi: {
    usage: 'pi X [X ...]',
    summary: 'print how many primes are at most X, for each X (pi 100 is 25)',
  },
  help: { usage: 'help [COMMAND]', summary: 'list the commands, or explain one' },
  clear: { usage: 'clear', summary: 'clear the screen (also Ctrl-L)' },
  exit: { usage: 'exit', summary: 'leave calcli (also quit, or Ctrl-D on an empty line)' },
  quit: { usage: 'quit', summary: 'same as exit' },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** Command names, sorted, for completion and messages. */
export const COMMAND_NAMES: readonly CommandName[] = (Object.keys(COMMANDS) as CommandName[]).sort(
  (a, b) => a.localeCompare(b),
);

export function isCommandName(word: string): word is CommandName {
  return Object.hasOwn(COMMANDS, word);
}
