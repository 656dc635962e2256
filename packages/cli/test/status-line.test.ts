import { describe, expect, it } from 'vitest';
import { progressBar, statusLine } from '../src/status-line.js';

const running = { text: 'np 99999999999999 88888888888888', hint: '(Ctrl-C cancels)' };
const withParts = { ...running, parts: { done: 2, total: 21 } };

describe('statusLine', () => {
  it('says everything when there is room', () => {
    expect(statusLine('⠙', withParts, '2.1s', 120)).toBe(
      '⠙ np 99999999999999 88888888888888  [##------------------] 2/21 parts  (Ctrl-C cancels)  2.1s',
    );
    expect(statusLine('⠙', running, '0.6s', 120)).toBe(
      '⠙ np 99999999999999 88888888888888  (Ctrl-C cancels)  0.6s',
    );
  });

  it('leaves out the hint first, then cuts the command with an ellipsis', () => {
    expect(statusLine('⠙', withParts, '2.1s', 79)).toBe(
      '⠙ np 99999999999999 88888888888888  [##------------------] 2/21 parts  2.1s',
    );
    expect(statusLine('⠙', withParts, '2.1s', 60)).toBe(
      '⠙ np 9999999999999…  [##------------------] 2/21 parts  2.1s',
    );
  });

  it('then leaves the command out and narrows the bar, keeping the parts and the time', () => {
    expect(statusLine('⠙', withParts, '2.1s', 45)).toBe(
      '⠙ [##------------------] 2/21 parts  2.1s',
    );
    expect(statusLine('⠙', withParts, '2.1s', 39)).toBe('⠙ [##----------------] 2/21 parts  2.1s');
    expect(statusLine('⠙', withParts, '2.1s', 26)).toBe('⠙ [-----] 2/21 parts  2.1s');
    expect(statusLine('⠙', withParts, '2.1s', 25)).toBe('⠙ 2/21 parts  2.1s');
    expect(statusLine('⠙', withParts, '2.1s', 10)).toBe('⠙ 2.1s');
  });

  it('is never wider than asked, whatever the width, and spaces a tab out of the command', () => {
    const tabbed = { ...withParts, text: 'np\t1   2' };
    for (let width = 0; width <= 140; width += 1) {
      for (const status of [running, withParts, tabbed]) {
        const line = statusLine('⠙', status, '12.3s', width);
        expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
        expect(line).not.toContain('\t');
      }
    }
    expect(statusLine('⠙', tabbed, '1.0s', 80)).toMatch(/^⠙ np 1 2 {2}\[/);
  });
});

describe('progressBar', () => {
  it('fills in proportion, at any width', () => {
    expect(progressBar(4, 9)).toBe('[#########-----------]');
    expect(progressBar(0, 0)).toBe('[--------------------]');
    expect(progressBar(9, 9, 5)).toBe('[#####]');
  });
});
