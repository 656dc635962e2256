import { describe, expect, it } from 'vitest';
import { HistoryNavigator } from '../src/history-navigator.js';

describe('HistoryNavigator', () => {
  it('walks from the newest entry to the oldest and stops there', () => {
    const history = new HistoryNavigator(['add 1 2', 'max 3 4', 'np 5']);
    expect(history.up('')).toBe('np 5');
    expect(history.up('np 5')).toBe('max 3 4');
    expect(history.up('max 3 4')).toBe('add 1 2');
    expect(history.up('add 1 2')).toBeUndefined();
  });

  it('walks back down to the line that was being typed', () => {
    const history = new HistoryNavigator(['add 1 2', 'max 3 4']);
    expect(history.up('np 1')).toBe('max 3 4');
    expect(history.up('max 3 4')).toBe('add 1 2');
    expect(history.down()).toBe('max 3 4');
    expect(history.down()).toBe('np 1');
    expect(history.down()).toBeUndefined();
  });

  it('has nothing to show when the history is empty', () => {
    const history = new HistoryNavigator([]);
    expect(history.up('x')).toBeUndefined();
    expect(history.down()).toBeUndefined();
  });
});
