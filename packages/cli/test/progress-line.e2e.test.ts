// The spinner's progress line in real terminals (tmux) of several widths: it fits, follows a
// resize, and leaves nothing behind.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALCLI_BIN } from './support/calcli.js';
import { useReplSessions } from './support/repl-sessions.js';
import { Terminal } from './support/terminal.js';

/** A spinner frame, as the progress line starts. */
const FRAME = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /;
/** What the progress line keeps at any of these widths: the bar, the parts and the time. */
const BAR_PARTS_TIME = /\[[#-]{5,20}\] \d+\/\d+ parts {2}(\(Ctrl-C cancels\) {2})?\d+\.\ds$/;
/** Heavy work takes seconds on two shared cores; give it room. */
const ANSWER_TIMEOUT_MS = 40_000;

let batches = 0;
/**
 * `np` with heavy n the server has not answered yet (it caches answers), quick to answer (about
 * 1.5 s on two cores) or slow (about 2.5 s): one n near 10^14 or 2 * 10^14 (a dozen parts), or
 * 20 n near 10^12 or 2 * 10^12 (a few parts each).
 */
function heavyNp(count: 1 | 20, pace: 'quick' | 'slow'): string {
  batches += 1;
  if (count === 1) {
    const base = pace === 'quick' ? 100_000_000_000_000 : 200_000_000_000_000;
    return `np ${base + batches * 1_000 + 7}`;
  }
  const base = pace === 'quick' ? 1_000_000_000_000 : 2_000_000_000_000;
  const ns = Array.from({ length: count }, (_, i) => base + batches * 1_000_000 + i * 1_000 + 3);
  return `np ${ns.join(' ')}`;
}

/** Types `command` and, once the line editor shows all of it, presses Enter. */
async function enter(terminal: Terminal, command: string): Promise<void> {
  await terminal.type(command);
  await terminal.waitForLastLine(`calc> ${command}`);
  await terminal.press('Enter');
}

/**
 * The lines after the last echo of `command` (its spinner, its answer, the next prompt); undefined
 * while the line editor is still redrawing the echo.
 */
async function linesAfter(terminal: Terminal, command: string): Promise<string[] | undefined> {
  const lines = await terminal.lines();
  const echo = lines.lastIndexOf(`calc> ${command}`);
  return echo === -1 ? undefined : lines.slice(echo + 1);
}

/**
 * Watches `command` run until `done` says the lines after it are final, checking every screen on
 * the way: nothing but one progress line, narrower than the terminal, whatever moment it is
 * caught at. Returns the final lines and the progress lines seen.
 */
async function watchProgress(
  terminal: Terminal,
  command: string,
  columns: number,
  done: (after: readonly string[]) => boolean,
): Promise<{ final: string[]; progress: string[] }> {
  const progress: string[] = [];
  const deadline = Date.now() + ANSWER_TIMEOUT_MS;
  for (;;) {
    const after = (await linesAfter(terminal, command)) ?? [];
    if (done(after)) return { final: after, progress };
    expect(after.length, after.join('\n')).toBeLessThanOrEqual(1);
    const [line] = after;
    // A line without a frame is the answer or the error, caught before the next prompt; any
    // fragment of a progress line starts with one.
    if (line !== undefined && FRAME.test(line)) {
      expect(line.length, line).toBeLessThan(columns);
      progress.push(line);
    }
    if (Date.now() > deadline) {
      throw new Error(`no answer to ${command}:\n${(await terminal.lines()).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const answered =
  (count: number) =>
  (after: readonly string[]): boolean =>
    after.length === 2 && new RegExp(`^\\d+( \\d+){${count - 1}}$`).test(after[0] ?? '');

describe('the progress line in a terminal', () => {
  const sessions = useReplSessions();

  it.each([
    [40, 1],
    [40, 20],
    [80, 1],
    [80, 20],
    [200, 1],
    [200, 20],
  ] as const)(
    'fits %i columns with %i heavy n, and leaves nothing behind after the answer or Ctrl-C',
    async (columns, count) => {
      const terminal = await sessions.start([], { columns });

      const command = heavyNp(count, 'quick');
      await enter(terminal, command);
      const run = await watchProgress(terminal, command, columns, answered(count));
      expect(
        run.progress.some((line) => BAR_PARTS_TIME.test(line)),
        run.progress.join('\n'),
      ).toBe(true);
      expect(run.final).toEqual([expect.stringMatching(/^\d/), 'calc>']);

      // Slow, so that it is still running when Ctrl-C comes.
      const cancelled = heavyNp(count, 'slow');
      await enter(terminal, cancelled);
      await watchProgress(terminal, cancelled, columns, ([line]) =>
        BAR_PARTS_TIME.test(line ?? ''),
      );
      await terminal.press('C-c');
      const afterCancel = await watchProgress(
        terminal,
        cancelled,
        columns,
        (after) => after.at(-1) === 'calc>',
      );
      expect(afterCancel.final).toEqual(['CANCELLED: request cancelled', 'calc>']);
      // Only what was typed and the answer are wider than the terminal (they wrap, as they should).
      const typedOrAnswered = (line: string): boolean =>
        line.startsWith('calc> np ') || /^\d/.test(line);
      for (const line of await terminal.lines()) {
        if (!typedOrAnswered(line)) expect(line.length, line).toBeLessThan(columns);
      }
      expect(await terminal.lines()).toEqual([
        `calc> ${command}`,
        run.final[0],
        `calc> ${cancelled}`,
        'CANCELLED: request cancelled',
        'calc>',
      ]);
    },
    120_000,
  );

  it('follows a resize while it runs: narrower at once, nothing left of the wider line on the screen', async () => {
    const terminal = await sessions.start([], { columns: 200 });
    const command = heavyNp(20, 'slow');
    await enter(terminal, command);
    const wide = await watchProgress(terminal, command, 200, ([line]) =>
      BAR_PARTS_TIME.test(line ?? ''),
    );
    expect(wide.final[0]?.length).toBeGreaterThan(100);
    await terminal.resize(40);
    // What a person sees from now on: tmux keeps the cursor's row when it reflows the screen, so
    // the rows of the reflowed lines above it go to its scrollback, out of any program's reach.
    const isProgress = (line: string): boolean => FRAME.test(line) || line.includes(' parts');
    let narrowed = false;
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    for (;;) {
      const screen = await terminal.lines({ scrollback: false });
      const progress = screen.filter(isProgress);
      if (progress.length === 0 && screen.at(-1) === 'calc>') break;
      expect(progress.length, screen.join('\n')).toBeLessThanOrEqual(1);
      const [line] = progress;
      if (line !== undefined && line.length < 40) {
        expect(line).toMatch(BAR_PARTS_TIME);
        expect(screen.at(-1)).toBe(line);
        narrowed = true;
      }
      if (Date.now() > deadline) throw new Error(`no answer:\n${screen.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(narrowed).toBe(true);
    const screen = await terminal.lines({ scrollback: false });
    expect(screen.slice(-2)).toEqual([expect.stringMatching(/^\d+( \d+){19}$/), 'calc>']);
  }, 120_000);

  it('draws no progress at all when stdout is not a terminal, in the REPL or with -e', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'calcli-redirected-'));
    const results = join(directory, 'results');
    const address = `:${sessions.server().port}`;
    // The REPL with its results going to a file: the prompt is on the terminal (stderr).
    const repl = await Terminal.start(
      ['sh', '-c', '"$@" > "$0"', results, process.execPath, CALCLI_BIN, 'connect', address],
      { env: { CALCLI_HISTORY: join(directory, 'history') } },
    );
    // -e with its results going through a pipe.
    const piped = heavyNp(1, 'quick');
    const script = await Terminal.start([
      'sh',
      '-c',
      '"$@" | cat',
      'sh',
      process.execPath,
      CALCLI_BIN,
      'connect',
      address,
      '-e',
      piped,
    ]);
    try {
      await repl.waitFor(/^calc>$/m);
      const command = heavyNp(1, 'quick');
      await enter(repl, command);
      await repl.waitFor(`calc> ${command}\ncalc>`, ANSWER_TIMEOUT_MS);
      await repl.type('exit');
      await repl.press('Enter');
      expect(await repl.waitForExit()).toBe(0);
      expect(readFileSync(results, 'utf8')).toMatch(/^\d+\n$/);
      expect(await script.waitForExit(ANSWER_TIMEOUT_MS)).toBe(0);
      expect(await script.lines()).toEqual([expect.stringMatching(/^\d+$/)]);
      for (const terminal of [repl, script]) {
        const output = terminal.output();
        expect(output).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|parts|Ctrl-C cancels/);
      }
    } finally {
      await repl.close();
      await script.close();
      rmSync(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
