// `npm run bench:ab -w @twelvefa/calc -- A.wasm B.wasm [x] [lines] [rounds]`: two builds of the
// kernels (say dist/kernels.wasm saved before a change, and the new one) run the same whole
// lines of pi(x) (default x = p(10^14); lines: easy, large, hard) in one process, interleaved
// round by round in alternating order, wall seconds. Prints each build's median, B/A, and
// whether both gave the same results. How each change in docs/benchmarks.md was measured.
import { readFileSync } from 'node:fs';
import { primeCountParams } from '../src/prime/prime-count-params.js';
import { lineOf, type RangedPartKind, tablesLimit } from '../src/prime/prime-count-parts.js';
import { compileKernels, type KernelExports } from '../src/prime/wasm-kernels.js';

const [fileA, fileB, xText = '3475385758524527', linesText = 'easy,large,hard', roundsText = '5'] =
  process.argv.slice(2);
if (fileA === undefined || fileB === undefined) {
  throw new Error('usage: kernels-ab A.wasm B.wasm [x] [easy,large,hard] [rounds]');
}
const builds = [compileKernels(readFileSync(fileA)), compileKernels(readFileSync(fileB))] as const;
const params = primeCountParams(BigInt(xText));
const x = BigInt(params.x);
const { y, z, k, xStar } = params;
const limit = tablesLimit(params);
for (const kernels of builds) {
  kernels.tables(limit, limit);
  kernels.inverses(limit);
}

/** Runs a whole line; returns what it found, to compare the builds by. */
const lines: Record<
  string,
  [RangedPartKind, (kernels: KernelExports, low: number, high: number) => string]
> = {
  easy: [
    'easy-leaves',
    (e, low, high) => `${e.easyLeaves(x, y, z, k, xStar, low, high)} ${e.easyLocal()}`,
  ],
  large: ['large-primes', (e, low, high) => `${e.largePrimes(x, y, low, high)} ${e.largeLocal()}`],
  hard: [
    'hard-leaves',
    (e, low, high) => {
      const count = e.hardLeaves(x, y, z, k, xStar, low, high);
      return new BigInt64Array(e.memory.buffer, e.hardResult(), 3 * count).join(',');
    },
  ],
};

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
console.log(
  `kernels A/B at x = ${x}: A ${fileA}, B ${fileB}; wall seconds, medians of ${roundsText} rounds`,
);
for (const name of linesText.split(',')) {
  const line = lines[name];
  if (line === undefined) throw new Error(`no line ${name}: easy, large or hard`);
  const [kind, run] = line;
  const [low, high] = lineOf(params, kind);
  const seconds: [number[], number[]] = [[], []];
  const found = ['', ''];
  for (let round = 0; round < Number(roundsText); round++) {
    for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = performance.now();
      found[i] = run(builds[i]!, low, high);
      seconds[i]!.push((performance.now() - started) / 1000);
    }
  }
  const [a, b] = [median(seconds[0]), median(seconds[1])];
  console.log(
    `${name.padEnd(6)} A ${a.toFixed(3)}  B ${b.toFixed(3)}  B/A ${(b / a).toFixed(3)}  ${found[0] === found[1] ? 'same results' : 'DIFFERENT RESULTS'}`,
  );
  if (found[0] !== found[1]) process.exitCode = 1;
}
