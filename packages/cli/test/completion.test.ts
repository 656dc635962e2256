import { describe, expect, it } from 'vitest';
import { complete } from '../src/completion.js';

describe('complete', () => {
  it.each([
    ['m', 'max '],
    ['a', 'add '],
    ['N', 'np '],
    ['he', 'help '],
    ['  q', '  quit '],
    ['cl', 'clear '],
    ['help m', 'help max'],
    ['help  E', 'help  exit'],
    ['HELP n', 'HELP np'],
  ])('completes a single match: %j to %j', (line, completed) => {
    expect(complete(line)).toEqual({ line: completed, candidates: [] });
  });

  it('lists every command on an empty line', () => {
    expect(complete('')).toEqual({
      line: '',
      candidates: ['add', 'clear', 'exit', 'help', 'max', 'np', 'pi', 'quit'],
    });
  });

  it('lists the commands help can explain', () => {
    expect(complete('help ').candidates).toEqual([
      'add',
      'clear',
      'exit',
      'help',
      'max',
      'np',
      'pi',
      'quit',
    ]);
  });

  it.each(['x', 'max 1', 'np 1 2', 'help max ', 'help zz'])('leaves %j alone', (line) => {
    expect(complete(line)).toEqual({ line, candidates: [] });
  });
});
