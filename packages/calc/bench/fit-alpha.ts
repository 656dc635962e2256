// `npm run bench:alpha` in packages/calc: fits the tuning factors of the prime count on the
// WebAssembly kernels. For x = p(10^11) .. p(10^14) (and p(10^15) with ALPHA_LARGE=1) it times
// pi(x) (CPU seconds of every part, best of two) over a scan of alphaY around the current
// choice, then of alphaZ at the best alphaY, and prints the best of each beside the constants
// prime-count-params.ts would need: ALPHA_Y_SCALE, with alphaY = ALPHA_Y_SCALE * (ln x)^3, as the
// median over x of the best alphaY / (ln x)^3, and ALPHA_Z as the median best alphaZ.
import os from 'node:os';
import {
  defaultAlphas,
  type PrimeCountAlphas,
  primeCountParams,
} from '../src/prime/prime-count-params.js';
import { computePart, wholeParts } from '../src/prime/prime-count-parts.js';
import { primeKernels } from '../src/prime/wasm-kernels.js';

const XS = [2760727302517n, 29996224275833n, 323780508946331n, 3475385758524527n];
if (process.env.ALPHA_LARGE === '1') XS.push(37124508045065437n);
const Y_SCALES = [0.5, 0.7, 0.85, 1, 1.2, 1.45, 1.75, 2.1];
const ALPHA_ZS = [1, 1.5, 2, 3, 4];

function seconds(x: bigint, alphas: PrimeCountAlphas): number {
  const params = primeCountParams(x, alphas);
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 2; run++) {
    const started = process.cpuUsage();
    for (const part of wholeParts(params)) computePart(params, part);
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return best;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

console.log(`alpha fit: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
primeKernels();
const scales: number[] = [];
const zs: number[] = [];
for (const x of XS) {
  const current = defaultAlphas(Number(x));
  seconds(x, current); // the tables and the factor table for this size
  const cube = Math.log(Number(x)) ** 3;
  let best = { alphas: current, seconds: Number.POSITIVE_INFINITY };
  const line: string[] = [];
  for (const scale of Y_SCALES) {
    const alphas = { alphaY: current.alphaY * scale, alphaZ: current.alphaZ };
    const s = seconds(x, alphas);
    line.push(`${alphas.alphaY.toFixed(1)}: ${s.toFixed(3)}`);
    if (s < best.seconds) best = { alphas, seconds: s };
  }
  console.log(
    `\nx = ${Number(x).toExponential(3)}, alphaZ ${current.alphaZ}, alphaY: ${line.join(', ')}`,
  );
  const zLine: string[] = [];
  for (const alphaZ of ALPHA_ZS) {
    const alphas = { alphaY: best.alphas.alphaY, alphaZ };
    const s = seconds(x, alphas);
    zLine.push(`${alphaZ}: ${s.toFixed(3)}`);
    if (s < best.seconds) best = { alphas, seconds: s };
  }
  console.log(`  alphaY ${best.alphas.alphaY.toFixed(1)}, alphaZ: ${zLine.join(', ')}`);
  console.log(
    `  best alphaY ${best.alphas.alphaY.toFixed(2)} (${(best.alphas.alphaY / cube).toExponential(3)} (ln x)^3), alphaZ ${best.alphas.alphaZ}: ${best.seconds.toFixed(3)} s, the current choice ${seconds(x, current).toFixed(3)} s`,
  );
  scales.push(best.alphas.alphaY / cube);
  zs.push(best.alphas.alphaZ);
}
console.log(
  `\nprime-count-params.ts: ALPHA_Y_SCALE = ${median(scales).toPrecision(3)}, ALPHA_Z = ${median(zs)}`,
);
