import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, HistoryStore, historyPath } from '../src/history-store.js';

describe('historyPath', () => {
  it('prefers $CALCLI_HISTORY', () => {
    expect(
      historyPath({ CALCLI_HISTORY: '/tmp/h', XDG_STATE_HOME: '/state', HOME: '/home/u' }),
    ).toBe('/tmp/h');
  });

  it('lives under $XDG_STATE_HOME/twelvefa', () => {
    expect(historyPath({ XDG_STATE_HOME: '/state', HOME: '/home/u' })).toBe(
      '/state/twelvefa/calcli_history',
    );
  });

  it('falls back to ~/.local/state/twelvefa', () => {
    expect(historyPath({ HOME: '/home/u' })).toBe('/home/u/.local/state/twelvefa/calcli_history');
  });
});

describe('HistoryStore', () => {
  let directory: string;
  let path: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'calcli-history-'));
    path = join(directory, 'state', 'twelvefa', 'calcli_history');
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('starts empty when there is no file yet', () => {
    expect(HistoryStore.load(path).entries).toEqual([]);
  });

  it('saves entries, creating the directory, and loads them in a later session', () => {
    const first = HistoryStore.load(path);
    first.add('add 2 5');
    first.add('  np 2 12  ');
    expect(readFileSync(path, 'utf8')).toBe('add 2 5\nnp 2 12\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(HistoryStore.load(path).entries).toEqual(['add 2 5', 'np 2 12']);
  });

  it('skips blank lines and consecutive duplicates', () => {
    const history = HistoryStore.load(path);
    for (const line of ['add 1 2', '', '   ', 'add 1 2', 'max 1 2', 'add 1 2']) {
      history.add(line);
    }
    expect(history.entries).toEqual(['add 1 2', 'max 1 2', 'add 1 2']);
    expect(HistoryStore.load(path).entries).toEqual(['add 1 2', 'max 1 2', 'add 1 2']);
  });

  it('keeps only the newest entries, in memory and on disk', () => {
    const history = HistoryStore.load(path, 3);
    for (const n of [1, 2, 3, 4, 5]) {
      history.add(`np ${n}`);
    }
    expect(history.entries).toEqual(['np 3', 'np 4', 'np 5']);
    expect(readFileSync(path, 'utf8')).toBe('np 3\nnp 4\nnp 5\n');
  });

  it('bounds a long file to the limit when loading', () => {
    const lines = Array.from({ length: HISTORY_LIMIT + 50 }, (_, i) => `np ${i + 1}`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${lines.join('\n')}\n`);
    const loaded = HistoryStore.load(path).entries;
    expect(loaded).toHaveLength(HISTORY_LIMIT);
    expect(loaded[0]).toBe('np 51');
    expect(loaded.at(-1)).toBe(`np ${HISTORY_LIMIT + 50}`);
  });

  it('keeps the entries of another session that saved in between', () => {
    const one = HistoryStore.load(path);
    const two = HistoryStore.load(path);
    one.add('add 1 1');
    two.add('max 2 2');
    expect(HistoryStore.load(path).entries).toEqual(['add 1 1', 'max 2 2']);
    expect(two.entries).toEqual(['max 2 2']);
  });

  it('reports once when it cannot save, and keeps the entries in memory', () => {
    const notADirectory = join(directory, 'not-a-directory');
    writeFileSync(notADirectory, 'a file where the history directory should be');
    const history = HistoryStore.load(join(notADirectory, 'calcli_history'));
    const errors: string[] = [];
    history.onError((error) => errors.push(error.message));
    history.add('add 1 2');
    history.add('add 3 4');
    expect(errors).toHaveLength(1);
    expect(history.entries).toEqual(['add 1 2', 'add 3 4']);
  });
});
