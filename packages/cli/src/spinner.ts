const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface SpinnerOptions {
  /** How long to wait before showing anything, in ms. Default 500. */
  readonly delayMs?: number;
  /** How often to redraw, in ms. Default 100. */
  readonly intervalMs?: number;
}

/**
 * Shows `⠋ label 1.2s` on a terminal stream while slow work runs, after a
 * delay so that quick answers do not flicker. A label given as a function is
 * asked again at every redraw (a progress bar). Returns the function that
 * clears it; calling that more than once is harmless.
 */
export function startSpinner(
  stream: NodeJS.WriteStream,
  label: string | (() => string),
  options: SpinnerOptions = {},
): () => void {
  const { delayMs = 500, intervalMs = 100 } = options;
  const started = Date.now();
  let frame = 0;
  let shown = false;
  let interval: NodeJS.Timeout | undefined;
  const draw = (): void => {
    const elapsed = `${((Date.now() - started) / 1000).toFixed(1)}s`;
    const symbol = FRAMES[frame % FRAMES.length] ?? '';
    frame += 1;
    // Hide the cursor so it does not blink at the end of the spinner line.
    const text = typeof label === 'function' ? label() : label;
    stream.write(`\r\x1b[2K\x1b[?25l${symbol} ${text}  ${elapsed}`);
    shown = true;
  };
  const delay = setTimeout(() => {
    draw();
    interval = setInterval(draw, intervalMs);
  }, delayMs);
  return () => {
    clearTimeout(delay);
    clearInterval(interval);
    if (shown) {
      shown = false;
      stream.write('\r\x1b[2K\x1b[?25h');
    }
  };
}
