import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandHelp } from '../src/help-text.js';
import { EXIT_HINT } from '../src/repl.js';
import { useReplSessions } from './support/repl-sessions.js';

const SLOW_NP = 'np 100000000000000';

describe('calcli in a terminal', () => {
  const sessions = useReplSessions();
  const startCalcli = () => sessions.start();

  it('plays a whole session character for character: results, help, exit', async () => {
    const terminal = await startCalcli();
    const commands = ['add 2 5', 'max 2 5', 'np 2 12', 'np 9999 1234 1 2 3 4'];
    const results = ['7', '5', '3 37', '104723 10061 2 3 5 7'];
    for (const [index, command] of commands.entries()) {
      await terminal.type(command);
      await terminal.press('Enter');
      await terminal.waitFor(`\n${results[index]}\ncalc>`);
    }
    await terminal.type('help');
    await terminal.press('Enter');
    await terminal.waitFor(`${commandHelp()}\ncalc>`);
    await terminal.type('exit');
    await terminal.press('Enter');
    expect(await terminal.waitForExit()).toBe(0);
    expect(await terminal.screen()).toBe(
      [
        'calc> add 2 5',
        '7',
        'calc> max 2 5',
        '5',
        'calc> np 2 12',
        '3 37',
        'calc> np 9999 1234 1 2 3 4',
        '104723 10061 2 3 5 7',
        'calc> help',
        commandHelp(),
        'calc> exit',
      ].join('\n'),
    );
  });

  it('completes m to "max " with Tab, and lists the commands on an empty line', async () => {
    const terminal = await startCalcli();
    await terminal.press('Tab');
    await terminal.waitFor('calc>\nadd  clear  exit  help  max  np  pi  quit');
    await terminal.type('m');
    await terminal.press('Tab');
    await terminal.type('2 5');
    await terminal.waitFor(/^calc> max 2 5$/m);
    expect(await terminal.screen()).not.toContain('add  clear');
    await terminal.press('Enter');
    await terminal.waitFor('calc> max 2 5\n5\ncalc>');
  });

  it('recalls a command from a previous session with the Up arrow', async () => {
    const first = await startCalcli();
    await first.type('np 2 12');
    await first.press('Enter');
    await first.waitFor('\n3 37\ncalc>');
    await first.press('C-d');
    expect(await first.waitForExit()).toBe(0);
    expect(readFileSync(sessions.history(), 'utf8')).toBe('np 2 12\n');

    const second = await startCalcli();
    await second.press('Up');
    await second.waitFor(/^calc> np 2 12$/m);
    await second.press('Enter');
    await second.waitFor('calc> np 2 12\n3 37\ncalc>');
  });

  it('walks the history down again to the line being typed', async () => {
    const terminal = await startCalcli();
    for (const command of ['add 1 1', 'add 2 2']) {
      await terminal.type(command);
      await terminal.press('Enter');
    }
    await terminal.waitFor('\n4\ncalc>');
    await terminal.type('max');
    await terminal.press('Up', 'Up');
    await terminal.waitFor(/^calc> add 1 1$/m);
    await terminal.press('Down');
    await terminal.waitFor(/^calc> add 2 2$/m);
    await terminal.press('Down');
    await terminal.waitFor(/^calc> max$/m);
  });

  it('cancels a slow request with Ctrl-C: the server sees CANCELLED and the prompt returns', async () => {
    const terminal = await startCalcli();
    await terminal.type(SLOW_NP);
    await terminal.press('Enter');
    // The spinner shows the request is still running: the progress of its parts as the server
    // streams them (WatchNthPrimes), and the elapsed time.
    await terminal.waitFor(
      /^. np 100000000000000 {2}\[[#-]{20}\] \d+\/\d+ parts {2}\(Ctrl-C cancels\) {2}\d+\.\ds$/m,
    );
    await terminal.waitFor(/\[#+-*\] [1-9]\d*\/\d+ parts/, 20_000);
    const pressed = Date.now();
    await terminal.press('C-c');
    await terminal.waitFor(`calc> ${SLOW_NP}\nCANCELLED: request cancelled\ncalc>`);
    expect(Date.now() - pressed).toBeLessThan(2000);
    // The request line names the RPC calcli called: the stream with the progress.
    await sessions
      .server()
      .waitForLog((line) => line.method === 'WatchNthPrimes' && line.status === 'CANCELLED');
    await terminal.type('add 2 5');
    await terminal.press('Enter');
    await terminal.waitFor('calc> add 2 5\n7\ncalc>');
  });

  it('counts primes with pi, drawing the progress of a heavy x until its answer', async () => {
    const terminal = await startCalcli();
    await terminal.type('pi 100 10000000000000000');
    await terminal.press('Enter');
    // pi(10^16) runs in parts the server streams (WatchPrimePi), as np's heavy n do.
    await terminal.waitFor(
      /^. pi 100 10000000000000000 {2}\[[#-]{20}\] \d+\/\d+ parts {2}\(Ctrl-C cancels\) {2}\d+\.\ds$/m,
      20_000,
    );
    await terminal.waitFor('calc> pi 100 10000000000000000\n25 279238341033925\ncalc>', 40_000);
    await sessions
      .server()
      .waitForLog((line) => line.method === 'WatchPrimePi' && line.status === 'OK');
  });

  it('suggests the nearest command for a typo', async () => {
    const terminal = await startCalcli();
    await terminal.type('ad 2 5');
    await terminal.press('Enter');
    await terminal.waitFor('calc> ad 2 5\nunknown command "ad"; did you mean add?\ncalc>');
    await terminal.type('hepl');
    await terminal.press('Enter');
    await terminal.waitFor('calc> hepl\nunknown command "hepl"; did you mean help?\ncalc>');
  });

  it('clears the screen and its scrollback with clear, which help explains and Tab completes', async () => {
    const terminal = await startCalcli();
    await terminal.type('add 2 5');
    await terminal.press('Enter');
    await terminal.waitFor('calc> add 2 5\n7\ncalc>');
    await terminal.type('help cl');
    await terminal.press('Tab');
    await terminal.waitFor(/^calc> help clear$/m);
    await terminal.press('Enter');
    await terminal.waitFor(
      'calc> help clear\nusage: clear\n  clear the screen (also Ctrl-L)\ncalc>',
    );
    await terminal.type('cl');
    await terminal.press('Tab');
    await terminal.waitFor(/^calc> clear$/m);
    await terminal.press('Enter');
    // The next prompt comes after the screen is cleared: it is all there is, scrollback included.
    await terminal.waitForLastLine('calc>');
    expect(await terminal.screen()).toBe('calc>');
    await terminal.type('add 1 1');
    await terminal.press('Enter');
    await terminal.waitFor('calc> add 1 1\n2\ncalc>');
  });

  it('says which deadline a call ran past (--max-time), without grpc-js internals', async () => {
    const terminal = await sessions.start([], { args: ['--max-time', '300ms'] });
    await terminal.type('np 99999999999999');
    await terminal.press('Enter');
    await terminal.waitFor(
      'calc> np 99999999999999\nDEADLINE_EXCEEDED: deadline of 300ms exceeded\ncalc>',
    );
    await terminal.type('add 2 5');
    await terminal.press('Enter');
    await terminal.waitFor('calc> add 2 5\n7\ncalc>');
  });

  it('reports a wrong command on one line and keeps going', async () => {
    const terminal = await startCalcli();
    await terminal.type('add x 1');
    await terminal.press('Enter');
    await terminal.type('add 9223372036854775807 1');
    await terminal.press('Enter');
    await terminal.waitFor(/^OUT_OF_RANGE: .+\ncalc>$/m);
    const screen = await terminal.screen();
    expect(screen).toMatch(
      /^calc> add x 1\nadd: "x" is not an integer; usage: add A B\ncalc> add/m,
    );
  });

  it('clears the typed line on Ctrl-C, says how to exit on an empty line, and exits on a second press', async () => {
    const terminal = await startCalcli();
    await terminal.type('add 1');
    await terminal.waitFor(/^calc> add 1$/m);
    await terminal.press('C-c');
    await terminal.waitFor(/^calc>$/m);
    expect(await terminal.screen()).not.toContain('add 1');
    await terminal.press('C-c');
    await terminal.waitFor(`calc>\n${EXIT_HINT}\ncalc>`);
    await terminal.press('C-c');
    expect(await terminal.waitForExit()).toBe(0);
  });

  it('exits on Ctrl-D on an empty line, not while text is typed', async () => {
    const terminal = await startCalcli();
    await terminal.type('np 5');
    await terminal.press('C-d');
    await terminal.press('C-u');
    await terminal.waitFor(/^calc>$/m);
    await terminal.press('C-d');
    expect(await terminal.waitForExit()).toBe(0);
  });
});
