import { describe, expect, it } from 'vitest';
import { HistoryNavigator } from '../src/history-navigator.js';
import { ReverseSearch } from '../src/reverse-search.js';

const HISTORY = ['np 12', 'add 2 5', 'np 9999 1234', 'max 3 4', 'np 100'];
const search = (): ReverseSearch =>
  new ReverseSearch(new HistoryNavigator(HISTORY), { text: 'typed', cursor: 2 });
const type = (into: ReverseSearch, text: string) => [...text].map((c) => into.key(c, { name: c }));

describe('ReverseSearch (Ctrl-R)', () => {
  it('narrows as the query is typed, from the newest match', () => {
    const s = search();
    expect(type(s, 'np')).toEqual([
      { kind: 'show', entry: 'np 100' },
      { kind: 'show', entry: 'np 100' },
    ]);
    expect(type(s, ' 9')).toEqual([
      { kind: 'show', entry: 'np 100' },
      { kind: 'show', entry: 'np 9999 1234' },
    ]);
  });

  it('goes to older matches on Ctrl-R and rings when there are none', () => {
    const s = search();
    type(s, 'np');
    expect(s.key(undefined, { name: 'r', ctrl: true })).toEqual({
      kind: 'show',
      entry: 'np 9999 1234',
    });
    expect(s.key(undefined, { name: 'r', ctrl: true })).toEqual({ kind: 'show', entry: 'np 12' });
    expect(s.key(undefined, { name: 'r', ctrl: true })).toEqual({ kind: 'no-match' });
  });

  it('widens on Backspace, searching from the newest again', () => {
    const s = search();
    type(s, 'add');
    expect(s.key(undefined, { name: 'backspace' })).toEqual({ kind: 'show', entry: 'add 2 5' });
    expect(s.query).toBe('ad');
  });

  it('runs on Enter, gives up on Ctrl-G or Ctrl-C, and leaves on any other key', () => {
    const s = search();
    expect(type(s, 'zz')).toEqual([{ kind: 'no-match' }, { kind: 'no-match' }]);
    expect(s.key(undefined, { name: 'return' })).toEqual({ kind: 'run' });
    expect(s.key(undefined, { name: 'g', ctrl: true })).toEqual({ kind: 'give-up' });
    expect(s.key(undefined, { name: 'c', ctrl: true })).toEqual({ kind: 'give-up' });
    expect(s.key(undefined, { name: 'left' })).toEqual({ kind: 'leave' });
    expect(s.key(undefined, { name: 'a', ctrl: true })).toEqual({ kind: 'leave' });
    expect(s.original).toEqual({ text: 'typed', cursor: 2 });
  });
});
