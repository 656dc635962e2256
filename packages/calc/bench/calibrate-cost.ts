// `npm run bench:calibrate` in packages/calc: times ranges of each line of pi(x) for several x
// (cut at (i / 16)^2 of the line, where the cost changes fastest near 0), fits nanoseconds per
// unit of the work the cost model counts (least squares on relative error, no negative weights)
// and prints them beside how well the model now in prime-count-cost.ts predicts the same ranges.
import os from 'node:os';
import {
  type LineWork,
  lineWork,
  type WorkCounts,
  workSeconds,
} from '../src/prime/prime-count-cost.js';
import { primeCountParams } from '../src/prime/prime-count-params.js';
import { computePart, lineOf, type RangedPartKind } from '../src/prime/prime-count-parts.js';

const XS = [29996225393466, 323780508946331, 3475385758524527];
const SLICES = 16;
const FEATURES: Record<RangedPartKind, readonly (keyof WorkCounts)[]> = {
  'hard-leaves': ['crossings', 'leaves'],
  'easy-leaves': ['numbers', 'leaves', 'runs'],
  'large-primes': ['numbers', 'crossings', 'leaves'],
};

interface Sample {
  readonly x: number;
  readonly ms: number;
  readonly work: WorkCounts;
  readonly predictedMs: number;
}

function measure(kind: RangedPartKind): Sample[] {
  const samples: Sample[] = [];
  for (const x of XS) {
    const params = primeCountParams(x);
    const [start, end] = lineOf(params, kind);
    const work: LineWork = lineWork(params, kind);
    const bounds = [start];
    for (let i = 1; i < SLICES; i++) {
      const at = start + Math.floor(((end - start) * (i / SLICES) ** 2) / 64) * 64;
      if (at > bounds[bounds.length - 1]!) bounds.push(at);
    }
    bounds.push(end);
    computePart(params, { kind, low: bounds[0]!, high: bounds[1]! }); // warm the tables and the JIT
    for (let i = 0; i + 1 < bounds.length; i++) {
      const part = { kind, low: bounds[i]!, high: bounds[i + 1]! };
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 2; run++) {
        const started = performance.now();
        computePart(params, part);
        best = Math.min(best, performance.now() - started);
      }
      const counts = work(part.low, part.high);
      samples.push({ x, ms: best, work: counts, predictedMs: workSeconds(kind, counts) * 1000 });
    }
  }
  return samples;
}

/** Least squares on relative error; features with a negative weight are dropped and refitted. */
function fit(
  samples: readonly Sample[],
  features: readonly (keyof WorkCounts)[],
): Map<keyof WorkCounts, number> {
  let used = [...features];
  for (;;) {
    const size = used.length;
    const a = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    const b = new Array<number>(size).fill(0);
    for (const sample of samples) {
      const weight = 1 / Math.max(sample.ms, 0.5);
      for (let i = 0; i < size; i++) {
        b[i]! += weight * sample.work[used[i]!] * sample.ms;
        for (let j = 0; j < size; j++)
          a[i]![j]! += weight * sample.work[used[i]!] * sample.work[used[j]!];
      }
    }
    // Gaussian elimination with partial pivoting on the normal equations.
    for (let i = 0; i < size; i++) {
      let pivot = i;
      for (let k = i + 1; k < size; k++)
        if (Math.abs(a[k]![i]!) > Math.abs(a[pivot]![i]!)) pivot = k;
      [a[i], a[pivot]] = [a[pivot]!, a[i]!];
      [b[i], b[pivot]] = [b[pivot]!, b[i]!];
      for (let k = i + 1; k < size; k++) {
        const factor = a[k]![i]! / a[i]![i]!;
        for (let j = i; j < size; j++) a[k]![j]! -= factor * a[i]![j]!;
        b[k]! -= factor * b[i]!;
      }
    }
    const weights = new Array<number>(size).fill(0);
    for (let i = size - 1; i >= 0; i--) {
      let rest = b[i]!;
      for (let j = i + 1; j < size; j++) rest -= a[i]![j]! * weights[j]!;
      weights[i] = rest / a[i]![i]!;
    }
    if (weights.every((w) => w >= 0)) return new Map(used.map((f, i) => [f, weights[i]! * 1e6]));
    used = used.filter((_, i) => weights[i]! >= 0);
  }
}

console.log(
  `cost model calibration: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
);
for (const kind of Object.keys(FEATURES) as RangedPartKind[]) {
  const samples = measure(kind);
  const fitted = fit(samples, FEATURES[kind]);
  console.log(
    `\n${kind}: fitted ns per unit: ${[...fitted].map(([f, ns]) => `${f} ${ns.toFixed(2)}`).join(', ')}`,
  );
  for (const x of XS) {
    const of = samples.filter((sample) => sample.x === x);
    const measured = of.reduce((sum, sample) => sum + sample.ms, 0);
    const predicted = of.reduce((sum, sample) => sum + sample.predictedMs, 0);
    const worst = Math.max(
      ...of.filter((s) => s.ms >= 5).map((s) => Math.abs(s.predictedMs / s.ms - 1)),
    );
    console.log(
      `  x = ${x.toExponential(2)}: measured ${measured.toFixed(0)} ms, current model ${predicted.toFixed(0)} ms, worst range (>= 5 ms) off by ${(worst * 100).toFixed(0)}%`,
    );
  }
}
