import type { Readable } from 'node:stream';

/** Output of something a test started, checked for Node warnings by takeNodeWarnings. */
export interface WatchedOutput {
  /** Who wrote it, as the failure names it ("twelvefa.js (pid 123) stderr"). */
  readonly name: string;
  /**
   * What counts as a warning: `any` is every line with `Warning: ` (a stderr, a terminal);
   * `node` only Node's own format, `(node:PID) ... Warning: ` (a stdout, where Redis's log says
   * "# Warning: no config file specified", which is not ours to fix).
   */
  readonly match: 'any' | 'node';
  /** Everything written so far. */
  text(): string;
  /** Resolves once nothing more can be written (the stream closed). */
  readonly finished: Promise<void>;
  /** Whether its writer is gone (the process exited), so that `finished` comes soon. */
  exited(): boolean;
}

/** Node's warning line: `(node:PID) [DEP0040] DeprecationWarning: ...`. */
const NODE_WARNING = /\(node:\d+\) (?:\[\w+\] )?\w*Warning: /;
const ANY_WARNING = /Warning: /;
/** --trace-warnings prints the stack on the lines after; a few of them say where. */
const STACK_LINE = /^\s+at /;
const STACK_LINES = 6;

interface Watch {
  readonly output: WatchedOutput;
  /** How much of its text has been checked. */
  checked: number;
  done: boolean;
}

const watches = new Set<Watch>();

/** Checks `output` for warnings from now on, until it has finished and been checked. */
export function watchForWarnings(output: WatchedOutput): void {
  const watch: Watch = { output, checked: 0, done: false };
  watches.add(watch);
  void output.finished.then(() => {
    watch.done = true;
  });
}

/**
 * Watches a child's stdout or stderr (see WatchedOutput.match); `exited` tells whether the child
 * has exited.
 */
export function watchStream(
  name: string,
  stream: Readable,
  match: 'any' | 'node',
  exited: () => boolean,
): void {
  let text = '';
  stream.on('data', (chunk: Buffer | string) => {
    text += chunk.toString();
  });
  const finished = new Promise<void>((resolve) => stream.once('close', () => resolve()));
  watchForWarnings({ name, match, text: () => text, finished, exited });
}

/**
 * The warnings written since the last call, each as `who: the line` and its stack when
 * --trace-warnings printed one; each is reported once. Waits up to `settleMs` for the outputs of
 * processes that exited to close, so that their last lines are read.
 */
export async function takeNodeWarnings(settleMs = 0): Promise<string[]> {
  // Node emits a process's own warnings on a later tick, and pipes deliver on later turns too.
  await new Promise((resolve) => setImmediate(resolve));
  if (settleMs > 0) {
    const open = [...watches].filter((watch) => !watch.done && watch.output.exited());
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, settleMs).unref());
    await Promise.race([Promise.all(open.map((watch) => watch.output.finished)), timeout]);
  }
  const found: string[] = [];
  for (const watch of watches) {
    const text = watch.output.text();
    // Whole lines only, unless nothing more will come: a warning is read when it is complete.
    const end = watch.done ? text.length : text.lastIndexOf('\n') + 1;
    const lines = text.slice(watch.checked, end).split('\n').map(plain);
    watch.checked = Math.max(watch.checked, end);
    if (watch.done) watches.delete(watch);
    const pattern = watch.output.match === 'node' ? NODE_WARNING : ANY_WARNING;
    lines.forEach((line, index) => {
      if (!pattern.test(line)) return;
      const stack = [];
      for (const next of lines.slice(index + 1, index + 1 + STACK_LINES)) {
        if (!STACK_LINE.test(next)) break;
        stack.push(next);
      }
      found.push([`${watch.output.name}: ${line.trim()}`, ...stack].join('\n'));
    });
  }
  return found;
}

/** Throws one error naming every warning, or does nothing when there is none. */
export function failOnNodeWarnings(warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  throw new Error(
    `${warnings.length} Node warning${warnings.length === 1 ? '' : 's'} printed (fix the ` +
      `cause; never raise a limit or silence the warning):\n${warnings.join('\n')}`,
  );
}

/** A terminal's line without its escape sequences and carriage returns. */
function plain(line: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences start with ESC.
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r/g, '');
}
