import { describe, expect, it } from 'vitest';
import { CommandError, INT64_MAX, INT64_MIN, parseCommand, UINT64_MAX } from '../src/command.js';

describe('parseCommand', () => {
  describe('when the line is valid', () => {
    it.each([
      ['add 2 5', { kind: 'add', a: 2n, b: 5n }],
      ['max 2 5', { kind: 'max', a: 2n, b: 5n }],
      ['np 2 12', { kind: 'np', n: [2n, 12n] }],
      ['np 9999 1234 1 2 3 4', { kind: 'np', n: [9999n, 1234n, 1n, 2n, 3n, 4n] }],
      ['pi 100 0 10', { kind: 'pi', x: [100n, 0n, 10n] }],
      ['help', { kind: 'help' }],
      ['help NP', { kind: 'help', topic: 'np' }],
      ['clear', { kind: 'clear' }],
      ['help clear', { kind: 'help', topic: 'clear' }],
      ['exit', { kind: 'exit' }],
      ['quit', { kind: 'exit' }],
    ])('parses %j', (line, command) => {
      expect(parseCommand(line)).toEqual(command);
    });

    it('forgives case, surrounding whitespace, and several spaces or tabs between arguments', () => {
      expect(parseCommand('  ADD \t 2    -5\t ')).toEqual({ kind: 'add', a: 2n, b: -5n });
      expect(parseCommand('Max +7 007')).toEqual({ kind: 'max', a: 7n, b: 7n });
    });

    it('keeps every int64 and uint64 value exact', () => {
      expect(parseCommand(`add ${INT64_MIN} ${INT64_MAX}`)).toEqual({
        kind: 'add',
        a: -9223372036854775808n,
        b: 9223372036854775807n,
      });
      expect(parseCommand(`np ${UINT64_MAX}`)).toEqual({ kind: 'np', n: [18446744073709551615n] });
    });

    it.each(['', '   ', '\t', '# a comment', '  #np 5'])('ignores %j', (line) => {
      expect(parseCommand(line)).toBeUndefined();
    });
  });

  describe('when the line is invalid', () => {
    it.each([
      ['add 1', 'add takes 2 integers, got 1; usage: add A B'],
      ['add 1 2 3', 'add takes 2 integers, got 3; usage: add A B'],
      ['max', 'max takes 2 integers, got 0; usage: max A B'],
      ['np', 'np takes at least 1 integer, got 0; usage: np N [N ...]'],
      ['pi', 'pi takes at least 1 integer, got 0; usage: pi X [X ...]'],
      ['pi 10 1e6', 'pi: "1e6" is not an integer; usage: pi X [X ...]'],
      ['pi -1', 'pi: -1 is outside 0..18446744073709551615, the uint64 range'],
      [
        'pi 18446744073709551616',
        'pi: 18446744073709551616 is outside 0..18446744073709551615, the uint64 range',
      ],
      ['help add max', 'help takes at most 1 command name, got 2; usage: help [COMMAND]'],
      ['exit now', 'exit takes no arguments, got 1; usage: exit'],
      ['quit 1', 'quit takes no arguments, got 1; usage: quit'],
      ['add x 1', 'add: "x" is not an integer; usage: add A B'],
      ['max 1 2.5', 'max: "2.5" is not an integer; usage: max A B'],
      ['np 5 1e3', 'np: "1e3" is not an integer; usage: np N [N ...]'],
      [
        'add 9223372036854775808 1',
        'add: 9223372036854775808 is outside the int64 range -9223372036854775808..9223372036854775807',
      ],
      [
        'max 1 -9223372036854775809',
        'max: -9223372036854775809 is outside the int64 range -9223372036854775808..9223372036854775807',
      ],
      ['np 0', 'np: n must be at least 1, got 0 (the 1st prime is 2)'],
      ['np 3 -1', 'np: n must be at least 1, got -1 (the 1st prime is 2)'],
      [
        'np 18446744073709551616',
        'np: 18446744073709551616 is outside 1..18446744073709551615, the uint64 range',
      ],
      ['clear now', 'clear takes no arguments, got 1; usage: clear'],
      ['sub 1 2', 'unknown command "sub"; commands: add, max, np, pi, help, clear, exit'],
      ['help sub', 'help: no command "sub"; commands: add, max, np, pi, help, clear, exit'],
      ['ad 2 5', 'unknown command "ad"; did you mean add?'],
      ['MXA 2 5', 'unknown command "MXA"; did you mean max?'],
      ['npp 5', 'unknown command "npp"; did you mean np?'],
      ['hepl', 'unknown command "hepl"; did you mean help?'],
      ['claer', 'unknown command "claer"; did you mean clear?'],
      ['exti', 'unknown command "exti"; did you mean exit?'],
      ['quiet', 'unknown command "quiet"; did you mean quit?'],
      ['help ad', 'help: no command "ad"; did you mean add?'],
    ])('rejects %j', (line, message) => {
      expect(() => parseCommand(line)).toThrow(new CommandError(message));
    });
  });
});
