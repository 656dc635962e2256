/**
 * The candidate a mistyped word most likely meant (`ad` → `add`, `hepl` → `help`,
 * `--josn` → `--json`), or undefined when none is close: at most one typo (a letter wrong,
 * missing, extra, or two swapped) away, two for words of four letters or more. Case is ignored;
 * on a tie the first candidate wins.
 */
export function nearestWord(word: string, candidates: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  const allowed = typed.length >= 4 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const candidate of candidates) {
    const distance = typoDistance(typed, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edits (insert, delete, substitute, swap two neighbours) from a to b: optimal string alignment. */
function typoDistance(a: string, b: string): number {
  // d[i * width + j]: the distance between the first i characters of a and the first j of b.
  const width = b.length + 1;
  const d = new Array<number>((a.length + 1) * width).fill(0);
  for (let i = 0; i <= a.length; i += 1) d[i * width] = i;
  for (let j = 0; j <= b.length; j += 1) d[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(
        d[(i - 1) * width + j]! + 1,
        d[i * width + j - 1]! + 1,
        d[(i - 1) * width + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, d[(i - 2) * width + j - 2]! + 1);
      }
      d[i * width + j] = distance;
    }
  }
  return d[a.length * width + b.length]!;
}
