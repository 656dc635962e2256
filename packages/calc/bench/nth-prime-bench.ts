// `npm run bench` in packages/calc: nthPrime on one core for n = 10^6 .. 10^14, each n in a fresh
// process, against `primecount --nth-prime N -t1` when it is on PATH; then, for n = 10^12, 10^13
// and 10^14, the plan for two workers run chunk by chunk against the direct call (CPU seconds,
// medians of alternating rounds), the chunks' spread, and the floors of docs/benchmarks.md.
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

interface Direct {
  readonly n: number;
  readonly prime: number;
  readonly seconds: number;
  readonly peakMiB: number;
}

interface Chunked {
  readonly n: number;
  readonly chunks: number;
  readonly direct: number;
  readonly chunked: number;
  readonly cold: number;
  readonly chunkSeconds: readonly number[];
}

const child = fileURLToPath(new URL('./nth-prime-child.ts', import.meta.url));
const EXPONENTS = [6, 7, 8, 9, 10, 11, 12, 13, 14];
const failures: string[] = [];

function runChild<T>(args: readonly string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', child, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out) as T;
}

/** Best of `runs` for primecount on one thread, or null when it is not installed. */
function primecount(n: number, runs: number): { prime: number; seconds: number } | null {
  let best = Number.POSITIVE_INFINITY;
  let prime = 0;
  for (let run = 0; run < runs; run++) {
    const result = spawnSync('primecount', ['--nth-prime', String(n), '-t1', '--time'], {
      encoding: 'utf8',
    });
    if (result.error || result.status !== 0) return null;
    const [answer, timing] = result.stdout.trim().split('\n');
    prime = Number(answer);
    best = Math.min(best, Number(timing?.replace('Seconds:', '').trim()));
  }
  return { prime, seconds: best };
}

function floor(ok: boolean, what: string): string {
  if (!ok) failures.push(what);
  return ok ? 'ok' : 'MISSED';
}

const seconds = (s: number): string => (s < 0.01 ? s.toFixed(6) : s.toFixed(3));
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`nthPrime benchmark: node ${process.version}, ${os.cpus().length} x ${cpu}`);
console.log('one thread; CPU seconds, best of 3 runs (2 at 10^14) in a fresh process per n\n');
console.log(
  `${'n'.padStart(6)} ${'p(n)'.padStart(17)} ${'ours s'.padStart(9)} ${'primecount s'.padStart(13)} ${'ratio'.padStart(6)} ${'peak MiB'.padStart(9)}  floor`,
);
for (const exponent of EXPONENTS) {
  const n = 10 ** exponent;
  const runs = exponent >= 14 ? 2 : 3;
  const ours = runChild<Direct>(['direct', String(n), String(runs)]);
  const theirs = primecount(n, runs);
  if (theirs && theirs.prime !== ours.prime)
    failures.push(`p(1e${exponent}) differs from primecount`);
  const ratio = theirs && theirs.seconds > 0 ? ours.seconds / theirs.seconds : null;
  const limit = exponent === 14 ? 5 : 4;
  const check =
    exponent >= 12 && ratio !== null
      ? `${floor(ratio <= limit, `1e${exponent} ratio`)} (<= ${limit}x)`
      : '';
  const memory =
    exponent === 14 ? ` ${floor(ours.peakMiB <= 512, 'peak memory')} (<= 512 MiB)` : '';
  console.log(
    `${`1e${exponent}`.padStart(6)} ${String(ours.prime).padStart(17)} ${seconds(ours.seconds).padStart(9)} ${(theirs ? seconds(theirs.seconds) : 'n/a').padStart(13)} ${(ratio === null ? 'n/a' : ratio.toFixed(1)).padStart(6)} ${ours.peakMiB.toFixed(0).padStart(9)}  ${check}${memory}`,
  );
}

console.log('\nchunks of the plan for 2 workers, run one after another (CPU seconds, medians);');
console.log('sum/direct reuses the tables as one worker does, cold builds them for every chunk\n');
console.log(
  `${'n'.padStart(6)} ${'chunks'.padStart(6)} ${'direct s'.padStart(9)} ${'chunks s'.padStart(9)} ${'sum/direct'.padStart(10)} ${'cold'.padStart(6)} ${'min s'.padStart(6)} ${'median s'.padStart(8)} ${'max s'.padStart(6)}  floors`,
);
for (const exponent of [12, 13, 14]) {
  const n = 10 ** exponent;
  const result = runChild<Chunked>(['chunks', String(n), '2', exponent === 14 ? '2' : '3']);
  const sorted = [...result.chunkSeconds].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  const ratio = result.chunked / result.direct;
  const coldRatio = result.cold / result.direct;
  const largest = sorted[sorted.length - 1]!;
  console.log(
    `${`1e${exponent}`.padStart(6)} ${String(result.chunks).padStart(6)} ${result.direct.toFixed(3).padStart(9)} ${result.chunked.toFixed(3).padStart(9)} ${ratio.toFixed(3).padStart(10)} ${coldRatio.toFixed(3).padStart(6)} ${sorted[0]!.toFixed(2).padStart(6)} ${median.toFixed(2).padStart(8)} ${largest.toFixed(2).padStart(6)}  sum ${floor(coldRatio <= 1.1, `1e${exponent} chunk sum`)} (cold <= 1.10), largest ${floor(largest <= 2 * median, `1e${exponent} balance`)} (<= 2x median)`,
  );
}
if (failures.length > 0) {
  console.log(`\nfloors missed: ${failures.join(', ')}`);
  process.exitCode = 1;
}
