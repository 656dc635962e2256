// Every editing key of the REPL, typed in a real terminal (tmux) as a person types it.
import { describe, expect, it } from 'vitest';
import { useReplSessions } from './support/repl-sessions.js';
import type { Terminal } from './support/terminal.js';

describe('the REPL line editor in a terminal', () => {
  const sessions = useReplSessions();
  const startCalcli = (entries?: readonly string[]) => sessions.start(entries);

  /** Types text, then a key or byte sequence, then X, and checks the line that shows. */
  async function edit(
    terminal: Terminal,
    keys: () => Promise<void>,
    expected: string,
  ): Promise<void> {
    await keys();
    await terminal.type('X');
    // tmux drops trailing blanks: a line that ends in a space shows without it.
    await terminal.waitFor(new RegExp(`^calc> ${escapeRegExp(expected.trimEnd())}$`, 'm'));
    await terminal.press('C-u', 'C-k');
    await terminal.waitFor(/^calc>$/m);
  }

  const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('moves to the start and the end: Home and End in every common encoding, Ctrl-A and Ctrl-E', async () => {
    const terminal = await startCalcli();
    const home = ['\x1b[H', '\x1bOH', '\x1b[1~', '\x1b[7~'];
    const end = ['\x1b[F', '\x1bOF', '\x1b[4~', '\x1b[8~'];
    for (const bytes of home) {
      await edit(
        terminal,
        async () => {
          await terminal.type('abc def');
          await terminal.sendBytes(bytes);
        },
        'Xabc def',
      );
    }
    for (const bytes of end) {
      await edit(
        terminal,
        async () => {
          await terminal.type('abc def');
          await terminal.press('C-a');
          await terminal.sendBytes(bytes);
        },
        'abc defX',
      );
    }
    await edit(
      terminal,
      async () => {
        await terminal.type('abc def');
        await terminal.press('C-a');
      },
      'Xabc def',
    );
    await edit(
      terminal,
      async () => {
        await terminal.type('abc def');
        await terminal.press('C-a', 'C-e');
      },
      'abc defX',
    );
  });

  it('moves by character and by word: Ctrl-B, Ctrl-F, Alt-B, Alt-F', async () => {
    const terminal = await startCalcli();
    await edit(
      terminal,
      async () => {
        await terminal.type('np 12 34');
        await terminal.press('C-b', 'C-b');
      },
      'np 12 X34',
    );
    await edit(
      terminal,
      async () => {
        await terminal.type('np 12 34');
        await terminal.press('C-a', 'C-f');
      },
      'nXp 12 34',
    );
    await edit(
      terminal,
      async () => {
        await terminal.type('np 12 34');
        await terminal.press('M-b', 'M-b');
      },
      'np X12 34',
    );
    await edit(
      terminal,
      async () => {
        await terminal.type('np 12 34');
        await terminal.press('C-a', 'M-f', 'M-f');
      },
      'np 12X 34',
    );
  });

  it('kills and yanks: Ctrl-K, Ctrl-U, Ctrl-W, Ctrl-Y', async () => {
    const terminal = await startCalcli();
    await edit(
      terminal,
      async () => {
        await terminal.type('add 1 2');
        await terminal.press('M-b', 'C-k');
      },
      'add 1 X',
    );
    await edit(
      terminal,
      async () => {
        await terminal.type('add 1 2');
        await terminal.press('M-b', 'C-u');
      },
      'X2',
    );
    await edit(
      terminal,
      async () => {
        await terminal.type('add 11 22');
        await terminal.press('C-w');
      },
      'add 11 X',
    );
    await edit(
      terminal,
      async () => {
        await terminal.type('add 11 22');
        await terminal.press('C-w', 'C-a', 'C-y');
      },
      '22Xadd 11 ',
    );
  });

  it('clears the screen with Ctrl-L and keeps the line being typed', async () => {
    const terminal = await startCalcli();
    await terminal.type('add 2 5');
    await terminal.press('Enter');
    await terminal.waitFor('calc> add 2 5\n7\ncalc>');
    await terminal.type('max 1');
    await terminal.press('C-l');
    await terminal.waitFor(/^calc> max 1$/m);
    const screen = await terminal.screen();
    expect(
      screen
        .split('\n')
        .filter((line) => line.trim() !== '')
        .at(-1),
    ).toBe('calc> max 1');
    expect(screen).not.toContain('calc> add 2 5\n7');
    await terminal.type(' 3');
    await terminal.press('Enter');
    await terminal.waitFor('calc> max 1 3\n3\ncalc>');
  });

  it('searches the history backwards with Ctrl-R, incrementally, and runs the match on Enter', async () => {
    const terminal = await startCalcli(['np 2 12', 'add 40 2', 'np 5', 'max 3 4']);
    await terminal.press('C-r');
    await terminal.type('np');
    await terminal.waitFor(/^\(reverse-i-search\)`np': np 5$/m);
    await terminal.press('C-r');
    await terminal.waitFor(/^\(reverse-i-search\)`np': np 2 12$/m);
    await terminal.type(' 2');
    await terminal.waitFor(/^\(reverse-i-search\)`np 2': np 2 12$/m);
    await terminal.press('Enter');
    await terminal.waitFor('calc> np 2 12\n3 37\ncalc>');
  });

  it('leaves Ctrl-R search for editing with an arrow key, and abandons it with Ctrl-G', async () => {
    const terminal = await startCalcli(['add 40 2', 'max 3 4']);
    await terminal.type('draft');
    await terminal.press('C-r');
    await terminal.type('40');
    await terminal.waitFor(/^\(reverse-i-search\)`40': add 40 2$/m);
    await terminal.press('C-g');
    await terminal.waitFor(/^calc> draft$/m);
    await terminal.press('C-u');
    await terminal.press('C-r');
    await terminal.type('max');
    await terminal.waitFor(/^\(reverse-i-search\)`max': max 3 4$/m);
    await terminal.press('End');
    await terminal.type('0');
    await terminal.waitFor(/^calc> max 3 40$/m);
    await terminal.press('Enter');
    await terminal.waitFor('calc> max 3 40\n40\ncalc>');
  });

  it('leaves no stale line behind after Tab listed the candidates', async () => {
    const terminal = await startCalcli();
    await terminal.press('Tab');
    await terminal.waitFor('calc>\nadd  clear  exit  help  max  np  pi  quit');
    await terminal.type('a');
    await terminal.type('d');
    await terminal.type('d');
    await terminal.waitFor(/^calc> add$/m);
    expect(await terminal.screen()).toBe('calc> add');
    await terminal.press('C-u');
    await terminal.type('help ');
    await terminal.press('Tab');
    await terminal.waitFor('calc> help\nadd  clear  exit  help  max  np  pi  quit');
    await terminal.type('m');
    await terminal.type('a');
    await terminal.waitFor(/^calc> help ma$/m);
    expect(await terminal.screen()).toBe('calc> help ma');
    await terminal.press('Tab');
    await terminal.waitFor(/^calc> help max$/m);
    await terminal.press('Enter');
    await terminal.waitFor(/^calc>$/m);
    expect(
      (await terminal.screen()).split('\n').filter((line) => line.startsWith('calc> help m')),
    ).toEqual(['calc> help max']);
  });
});
