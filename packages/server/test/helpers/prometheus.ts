/** One scrape of a Prometheus text endpoint, by metric name and labels. */
export class Scrape {
  private readonly samples = new Map<string, number>();
  private readonly series: { name: string; labels: Record<string, string>; value: number }[] = [];

  constructor(readonly text: string) {
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const match = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
      if (match === null) continue;
      const [, name = '', , labels = ''] = match;
      const parsed = Scrape.parseLabels(labels);
      this.samples.set(Scrape.key(name, parsed), Number(match[4]));
      this.series.push({ name, labels: parsed, value: Number(match[4]) });
    }
  }

  private static parseLabels(text: string): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [, key = '', value = ''] of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value;
    }
    return labels;
  }

  private static key(name: string, labels: Record<string, string>): string {
    const sorted = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
    return `${name}{${sorted.map(([key, value]) => `${key}="${value}"`).join(',')}}`;
  }

  /** The sample's value; 0 when the series does not exist yet (a counter never incremented). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples.get(Scrape.key(name, labels)) ?? 0;
  }

  /** Every series of `name`, with its labels. */
  samplesOf(name: string): { labels: Record<string, string>; value: number }[] {
    return this.series.filter((sample) => sample.name === name);
  }

  /** The metric names present (a histogram's _bucket, _sum and _count each count). */
  names(): Set<string> {
    return new Set(this.series.map((sample) => sample.name));
  }

  /** True when any series of `name` is present. */
  has(name: string): boolean {
    return [...this.samples.keys()].some((key) => key.startsWith(`${name}{`));
  }
}

/** GETs /metrics and parses it. */
export async function scrape(port: number): Promise<Scrape> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return new Scrape(await response.text());
}
