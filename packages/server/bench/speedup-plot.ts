// An SVG of speedup against workers, both axes in powers of two, with the ideal line: what
// `npm run bench:scale-model` draws for docs/benchmarks.md.

/** One line of the plot: points of (workers, speedup). */
export interface SpeedupSeries {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
}

const WIDTH = 640;
const HEIGHT = 420;
const MARGIN = { left: 60, right: 150, top: 30, bottom: 50 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

export function speedupPlot(series: readonly SpeedupSeries[], workers: readonly number[]): string {
  const maxLog = Math.log2(Math.max(...workers));
  const x = (w: number): number =>
    MARGIN.left + (Math.log2(w) / maxLog) * (WIDTH - MARGIN.left - MARGIN.right);
  const y = (s: number): number =>
    HEIGHT -
    MARGIN.bottom -
    (Math.log2(Math.max(1, s)) / maxLog) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    "<title>One call's speedup against workers, predicted by bench:scale-model</title>",
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2 - 60}" y="18" font-size="14">One call's speedup against workers</text>`,
  ];
  for (const w of workers) {
    parts.push(
      `<line x1="${x(w)}" y1="${y(1)}" x2="${x(w)}" y2="${y(Math.max(...workers))}" stroke="#eee"/>`,
      `<line x1="${x(1)}" y1="${y(w)}" x2="${x(Math.max(...workers))}" y2="${y(w)}" stroke="#eee"/>`,
      `<text x="${x(w)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${w}</text>`,
      `<text x="${MARGIN.left - 8}" y="${y(w) + 4}" text-anchor="end">${w}x</text>`,
    );
  }
  parts.push(
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">workers (WORKER_CONCURRENCY=1)</text>`,
    `<line x1="${x(1)}" y1="${y(1)}" x2="${x(Math.max(...workers))}" y2="${y(Math.max(...workers))}" stroke="#999" stroke-dasharray="4 4"/>`,
    `<text x="${WIDTH - MARGIN.right + 8}" y="${MARGIN.top + 10}" fill="#999">ideal</text>`,
  );
  series.forEach((line, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const path = line.points.map(([w, s]) => `${x(w).toFixed(1)},${y(s).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const [w, s] of line.points) {
      parts.push(
        `<circle cx="${x(w).toFixed(1)}" cy="${y(s).toFixed(1)}" r="3" fill="${colour}"/>`,
      );
    }
    parts.push(
      `<text x="${WIDTH - MARGIN.right + 8}" y="${MARGIN.top + 30 + 18 * i}" fill="${colour}">${line.label}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
