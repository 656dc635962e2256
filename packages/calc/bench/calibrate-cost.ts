// `npm run bench:calibrate` in packages/calc: times ranges of each line of pi(x) on the
// WebAssembly kernels for several x (cut at (i / 16)^2 of the line, where the cost changes
// fastest near 0), fits nanoseconds per unit of the work the cost model counts (least squares on
// relative error, no negative weights), fits the once parts' and the walk's constants, and prints
// them beside how well the model now in prime-count-cost.ts predicts the same work. CPU time.
import os from 'node:os';
import { isqrtBig } from '../src/prime/integer-root.js';
import {
  type LineWork,
  lineWork,
  onceWork,
  type WorkCounts,
  walkSeconds,
  workSeconds,
} from '../src/prime/prime-count-cost.js';
import { approximateParams, primeCountParams } from '../src/prime/prime-count-params.js';
import { computePart, lineOf, type RangedPartKind } from '../src/prime/prime-count-parts.js';
import { nthPrimeNearExact } from '../src/prime/prime-walk.js';
import { primeKernels } from '../src/prime/wasm-kernels.js';

/** p(10^12), p(10^13), p(10^14) and, with CALIBRATE_LARGE=1, p(10^15). */
const XS = [29996225393466n, 323780508946331n, 3475385758524527n];
if (process.env.CALIBRATE_LARGE === '1') XS.push(37124508045065437n);

function cpuMs(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e3;
}
const SLICES = 16;
const FEATURES: Record<RangedPartKind, readonly (keyof WorkCounts)[]> = {
  'hard-leaves': ['numbers', 'crossings', 'leaves'],
  'easy-leaves': ['numbers', 'leaves', 'runs'],
  'large-primes': ['numbers', 'crossings', 'leaves'],
};

interface Sample {
  readonly x: bigint;
  readonly ms: number;
  readonly work: WorkCounts;
  readonly predictedMs: number;
}

function measure(kind: RangedPartKind): Sample[] {
  const samples: Sample[] = [];
  for (const x of XS) {
    const params = primeCountParams(x);
    const [start, end] = lineOf(params, kind);
    const work: LineWork = lineWork(approximateParams(params), kind);
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
      for (let run = 0; run < 2; run++)
        best = Math.min(
          best,
          cpuMs(() => computePart(params, part)),
        );
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
    const errors = of.filter((s) => s.ms >= 5).map((s) => Math.abs(s.predictedMs / s.ms - 1));
    const worst = errors.length > 0 ? `${(Math.max(...errors) * 100).toFixed(0)}%` : 'n/a (none)';
    console.log(
      `  x = ${Number(x).toExponential(2)}: measured ${measured.toFixed(0)} ms, current model ${predicted.toFixed(0)} ms, worst range (>= 5 ms) off by ${worst}`,
    );
  }
}

// The once parts (per unit of onceWork) and the walk (per sqrt(x)): a ratio each.
console.log('\nonce parts and walk:');
let onceMeasured = 0;
let oncePredicted = 0;
let walkMeasured = 0;
let walkPredicted = 0;
for (const x of XS) {
  const params = primeCountParams(x);
  const kinds = ['sigma', 'ordinary-leaves', 'composed-easy-leaves'] as const;
  for (const kind of kinds) computePart(params, { kind });
  const once = Math.min(
    ...[0, 1].map(() =>
      cpuMs(() => {
        for (const kind of kinds) computePart(params, { kind });
      }),
    ),
  );
  const predicted = onceWork(approximateParams(params)).seconds * 1000;
  const count = x / 37n; // any count near pi(x): the walk's cost is its sieve of sqrt(x)
  primeKernels();
  const walk = Math.min(
    ...[0, 1].map(() => cpuMs(() => nthPrimeNearExact(count + 1000n, x, count))),
  );
  onceMeasured += once;
  oncePredicted += predicted;
  walkMeasured += walk;
  walkPredicted += walkSeconds(Number(x)) * 1000;
  console.log(
    `  x = ${Number(x).toExponential(2)}: once parts ${once.toFixed(0)} ms (model ${predicted.toFixed(0)}), walk ${walk.toFixed(1)} ms (model ${(walkSeconds(Number(x)) * 1000).toFixed(1)}), sqrt(x) = ${isqrtBig(x)}`,
  );
}
console.log(
  `  scale the once-part constants by ${(onceMeasured / oncePredicted).toFixed(3)}, WALK_NS_PER_ROOT by ${(walkMeasured / walkPredicted).toFixed(3)}`,
);
