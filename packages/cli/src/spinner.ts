import { type Status, statusLine } from './status-line.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** When the stream does not say how wide it is. */
const DEFAULT_COLUMNS = 80;

export interface SpinnerOptions {
  /** How long to wait before showing anything, in ms. Default 500. */
  readonly delayMs?: number;
  /** How often to redraw, in ms. Default 100. */
  readonly intervalMs?: number;
}

/**
 * Where progress may be drawn: stderr, and only when stdout is a terminal too, so that nothing
 * but results reaches a file or a pipe and no one watching those sees a spinner.
 */
export function progressStream(
  stdout: NodeJS.WriteStream,
  stderr: NodeJS.WriteStream,
): NodeJS.WriteStream | undefined {
  return stdout.isTTY === true && stderr.isTTY === true ? stderr : undefined;
}

/**
 * Shows `⠋ status 1.2s` on a terminal stream while slow work runs, after a delay so that quick
 * answers do not flicker. A status given as a function is asked again at every redraw (a progress
 * bar). The line is fitted to the terminal's width at every redraw and at once when the terminal
 * is resized, so that it never wraps: a wrapped line would leave its first rows behind at the next
 * redraw. Returns the function that clears it; calling that more than once is harmless.
 */
export function startSpinner(
  stream: NodeJS.WriteStream,
  status: Status | (() => Status),
  options: SpinnerOptions = {},
): () => void {
  const { delayMs = 500, intervalMs = 100 } = options;
  const started = Date.now();
  let frame = 0;
  let shown = false;
  /** Characters on the line drawn last. */
  let drawnWidth = 0;
  let interval: NodeJS.Timeout | undefined;
  const columns = (): number => stream.columns || DEFAULT_COLUMNS;
  // Erases the line drawn last, leaving the cursor at its start. A terminal that reflows its
  // lines when it narrows (tmux, VTE, iTerm2, kitty...) has wrapped it onto more rows since; those
  // still on the screen are erased too. Row by row, not "to the end of the screen": cleared from
  // its top row, a whole screen would go to tmux's scrollback (scroll-on-clear).
  const erase = (): string => {
    const rows = Math.max(1, Math.ceil(drawnWidth / columns()));
    return `\r\x1b[2K${'\x1b[1A\x1b[2K'.repeat(rows - 1)}`;
  };
  const draw = (): void => {
    const elapsed = `${((Date.now() - started) / 1000).toFixed(1)}s`;
    const symbol = FRAMES[frame % FRAMES.length] ?? '';
    frame += 1;
    // The last column stays free: a character there leaves the cursor waiting to wrap.
    const line = statusLine(
      symbol,
      typeof status === 'function' ? status() : status,
      elapsed,
      columns() - 1,
    );
    // Hide the cursor so it does not blink at the end of the spinner line.
    stream.write(`${erase()}\x1b[?25l${line}`);
    drawnWidth = line.length;
    shown = true;
  };
  const onResize = (): void => {
    if (shown) draw();
  };
  const delay = setTimeout(() => {
    draw();
    interval = setInterval(draw, intervalMs);
  }, delayMs);
  stream.on('resize', onResize);
  return () => {
    clearTimeout(delay);
    clearInterval(interval);
    stream.off('resize', onResize);
    if (shown) {
      stream.write(`${erase()}\x1b[?25h`);
      shown = false;
      drawnWidth = 0;
    }
  };
}
