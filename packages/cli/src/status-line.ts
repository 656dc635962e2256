/** What the spinner's line says about the work in progress. */
export interface Status {
  /** What runs: the command as typed, `connecting to :3000`. */
  readonly text: string;
  /** The parts done of all the parts, once the server streams them (np). */
  readonly parts?: { readonly done: number; readonly total: number };
  /** What a key does meanwhile, `(Ctrl-C cancels)`: the first thing left out when space is short. */
  readonly hint?: string;
}

/** The bar's width in cells when there is room, and the narrowest worth drawing. */
const BAR_WIDTH = 20;
const MIN_BAR_WIDTH = 5;
/** The shortest the text is cut to (`np 9999…`) before it is left out altogether. */
const MIN_TEXT_WIDTH = 8;
const ELLIPSIS = '…';

/** `[########------------]`: `done` of `total` in `width` cells. */
export function progressBar(done: number, total: number, width = BAR_WIDTH): string {
  const filled = total === 0 ? 0 : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * `⠙ np 5  [####----------------] 2/9 parts  (Ctrl-C cancels)  1.2s`, in at most `width`
 * characters: when that is too wide the hint goes first, then the text is cut with an ellipsis and
 * then left out, then the bar narrows; the parts and the time stay longest. Every character is one
 * cell wide (the text is a command calcli parsed: ASCII).
 */
export function statusLine(symbol: string, status: Status, elapsed: string, width: number): string {
  const { parts, hint } = status;
  const text = status.text.replace(/\s+/g, ' ');
  const counts = parts === undefined ? undefined : `${parts.done}/${parts.total} parts`;
  const progress = (barWidth: number): string | undefined =>
    parts === undefined ? undefined : `${progressBar(parts.done, parts.total, barWidth)} ${counts}`;
  const line = (...segments: (string | undefined)[]): string =>
    `${symbol} ${segments.filter((segment) => segment !== undefined).join('  ')}`;
  const fits = (candidate: string): boolean => candidate.length <= width;

  const full = line(text, progress(BAR_WIDTH), hint, elapsed);
  if (fits(full)) return full;
  const withoutHint = line(text, progress(BAR_WIDTH), elapsed);
  if (fits(withoutHint)) return withoutHint;
  const textRoom = width - (withoutHint.length - text.length);
  if (textRoom >= MIN_TEXT_WIDTH) {
    return line(
      `${text.slice(0, textRoom - ELLIPSIS.length)}${ELLIPSIS}`,
      progress(BAR_WIDTH),
      elapsed,
    );
  }
  if (parts !== undefined) {
    const barRoom = Math.min(BAR_WIDTH, width - line(progress(0), elapsed).length);
    if (barRoom >= MIN_BAR_WIDTH) return line(progress(barRoom), elapsed);
    const countsOnly = line(counts, elapsed);
    if (fits(countsOnly)) return countsOnly;
  }
  const elapsedOnly = line(elapsed);
  return fits(elapsedOnly) ? elapsedOnly : symbol.slice(0, Math.max(0, width));
}
