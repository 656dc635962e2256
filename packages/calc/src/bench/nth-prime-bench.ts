// `npm run bench` in packages/calc: nthPrime at n = 10^6 .. 10^12 on one core, each n in its own
// process (best of 3 runs, so n <= 4 * 10^6 is a table lookup once the table is built; peak
// RSS), against `primecount --nth-prime N -t1` when it is on PATH,
// plus the spread of chunk costs for n = 10^12.
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { computeChunk, planNthPrime } from '../nth-prime-chunks.js';

interface Measurement {
  readonly n: number;
  readonly prime: number;
  readonly seconds: number;
  readonly peakMiB: number;
}

const RUNS = 3;
const EXPONENTS = [6, 7, 8, 9, 10, 11, 12];
const child = fileURLToPath(new URL('./nth-prime-child.js', import.meta.url));

function measureOurs(n: number): Measurement {
  const out = execFileSync(process.execPath, [child, String(n), String(RUNS)], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Measurement;
}

/** Best of RUNS for primecount on one thread, or null when it is not installed. */
function measurePrimecount(n: number): { prime: number; seconds: number } | null {
  let best = Number.POSITIVE_INFINITY;
  let prime = 0;
  for (let run = 0; run < RUNS; run++) {
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

function pad(value: string, width: number): string {
  return value.padStart(width);
}

/** Seconds with enough digits to show microsecond answers from the table. */
function formatSeconds(seconds: number): string {
  return seconds < 0.01 ? seconds.toFixed(6) : seconds.toFixed(3);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`nthPrime benchmark: node ${process.version}, ${os.cpus().length} x ${cpu}`);
console.log(`one thread each; best of ${RUNS} runs in a fresh process per n\n`);
console.log(
  `${pad('n', 6)} ${pad('p(n)', 16)} ${pad('ours s', 9)} ${pad('primecount s', 13)} ${pad('ratio', 7)} ${pad('peak MiB', 9)}`,
);
let mismatch = false;
for (const exponent of EXPONENTS) {
  const n = 10 ** exponent;
  const ours = measureOurs(n);
  const theirs = measurePrimecount(n);
  if (theirs && theirs.prime !== ours.prime) mismatch = true;
  const ratio = theirs && theirs.seconds > 0 ? (ours.seconds / theirs.seconds).toFixed(1) : 'n/a';
  console.log(
    `${pad(`1e${exponent}`, 6)} ${pad(String(ours.prime), 16)} ${pad(formatSeconds(ours.seconds), 9)} ${pad(theirs ? formatSeconds(theirs.seconds) : 'n/a', 13)} ${pad(ratio, 7)} ${pad(ours.peakMiB.toFixed(0), 9)}`,
  );
}

// How evenly the default plan spreads the work of the largest n over jobs.
const plan = planNthPrime(1e12);
const costs = plan.chunks.map((chunk) => {
  const started = performance.now();
  computeChunk(chunk);
  return (performance.now() - started) / 1000;
});
const total = costs.reduce((sum, cost) => sum + cost, 0);
console.log(
  `\nn = 1e12 as ${costs.length} chunks: total ${total.toFixed(2)} s, largest ${Math.max(...costs).toFixed(2)} s, smallest ${Math.min(...costs).toFixed(2)} s`,
);
console.log(`chunk seconds: ${costs.map((cost) => cost.toFixed(2)).join(' ')}`);
if (mismatch) {
  console.error('MISMATCH: our answer differs from primecount');
  process.exitCode = 1;
}
