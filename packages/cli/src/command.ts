import { COMMAND_NAMES, COMMANDS, type CommandName, isCommandName } from './commands.js';
import { nearestWord } from './nearest-word.js';

/** A calculation the server performs. */
export type Calculation =
  | { readonly kind: 'add'; readonly a: bigint; readonly b: bigint }
  | { readonly kind: 'max'; readonly a: bigint; readonly b: bigint }
  | { readonly kind: 'np'; readonly n: readonly bigint[] }
  | { readonly kind: 'pi'; readonly x: readonly bigint[] };

/** A valid line of input. */
export type Command =
  | Calculation
  | { readonly kind: 'help'; readonly topic?: CommandName }
  | { readonly kind: 'clear' }
  | { readonly kind: 'exit' };

/** A line the user typed that is not a valid command; the message says how to fix it. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
export const UINT64_MAX = 2n ** 64n - 1n;

const INTEGER = /^[+-]?\d+$/;

/**
 * Parses one line into a command. Returns undefined for a blank line or a
 * `#` comment; throws CommandError for anything invalid.
 */
export function parseCommand(line: string): Command | undefined {
  const words = line.trim().split(/\s+/);
  const [first = '', ...args] = words;
  if (first === '' || first.startsWith('#')) {
    return undefined;
  }
  const name = first.toLowerCase();
  if (!isCommandName(name)) {
    throw new CommandError(`unknown command "${first}"; ${suggestion(name)}`);
  }
  switch (name) {
    case 'add':
    case 'max': {
      expectCount(name, args, 2, 2);
      const [a, b] = args.map((arg) => parseInt64(name, arg));
      return { kind: name, a: a!, b: b! };
    }
    case 'np': {
      expectCount(name, args, 1, Number.POSITIVE_INFINITY);
      return { kind: 'np', n: args.map((arg) => parseIndex(arg)) };
    }
    case 'pi': {
      expectCount(name, args, 1, Number.POSITIVE_INFINITY);
      return { kind: 'pi', x: args.map((arg) => parseBound(arg)) };
    }
    case 'help': {
      expectCount(name, args, 0, 1);
      const [topic] = args;
      if (topic === undefined) {
        return { kind: 'help' };
      }
      const lower = topic.toLowerCase();
      if (!isCommandName(lower)) {
        throw new CommandError(`help: no command "${topic}"; ${suggestion(lower)}`);
      }
      return { kind: 'help', topic: lower };
    }
    case 'clear':
      expectCount(name, args, 0, 0);
      return { kind: 'clear' };
    case 'exit':
    case 'quit':
      expectCount(name, args, 0, 0);
      return { kind: 'exit' };
  }
}

/** `did you mean add?` for a near miss; the commands otherwise. */
function suggestion(typed: string): string {
  const near = nearestWord(typed, COMMAND_NAMES);
  if (near !== undefined) return `did you mean ${near}?`;
  const names = (Object.keys(COMMANDS) as CommandName[]).filter((name) => name !== 'quit');
  return `commands: ${names.join(', ')}`;
}

function expectCount(name: CommandName, args: readonly string[], min: number, max: number): void {
  if (args.length >= min && args.length <= max) {
    return;
  }
  const usage = COMMANDS[name].usage;
  let wanted: string;
  if (max === 0) {
    wanted = 'takes no arguments';
  } else if (min === max) {
    wanted = `takes ${min} integers`;
  } else if (max === Number.POSITIVE_INFINITY) {
    wanted = `takes at least ${min} integer`;
  } else {
    wanted = `takes at most ${max} command name`;
  }
  throw new CommandError(`${name} ${wanted}, got ${args.length}; usage: ${usage}`);
}

function parseInteger(name: CommandName, arg: string): bigint {
  if (!INTEGER.test(arg)) {
    throw new CommandError(`${name}: "${arg}" is not an integer; usage: ${COMMANDS[name].usage}`);
  }
  return BigInt(arg);
}

function parseInt64(name: 'add' | 'max', arg: string): bigint {
  const value = parseInteger(name, arg);
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new CommandError(`${name}: ${arg} is outside the int64 range ${INT64_MIN}..${INT64_MAX}`);
  }
  return value;
}

function parseIndex(arg: string): bigint {
  const value = parseInteger('np', arg);
  if (value < 1n) {
    throw new CommandError(`np: n must be at least 1, got ${arg} (the 1st prime is 2)`);
  }
  if (value > UINT64_MAX) {
    // The server's own maximum (MAX_N) is lower; it answers OUT_OF_RANGE with that bound.
    throw new CommandError(`np: ${arg} is outside 1..${UINT64_MAX}, the uint64 range`);
  }
  return value;
}

function parseBound(arg: string): bigint {
  const value = parseInteger('pi', arg);
  if (value < 0n || value > UINT64_MAX) {
    // The server's own maximum (MAX_X) is lower; it answers OUT_OF_RANGE with that bound.
    throw new CommandError(`pi: ${arg} is outside 0..${UINT64_MAX}, the uint64 range`);
  }
  return value;
}
