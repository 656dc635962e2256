// One benchmark measurement in a fresh process, so peak memory belongs to this n alone.
// Prints {"n", "prime", "seconds", "peakMiB"} as one JSON line.
import { nthPrime } from '../nth-prime.js';

const n = Number(process.argv[2]);
const runs = Number(process.argv[3] ?? '3');
let best = Number.POSITIVE_INFINITY;
let prime = 0;
for (let run = 0; run < runs; run++) {
  const started = process.hrtime.bigint();
  prime = nthPrime(n);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  best = Math.min(best, seconds);
}
const peakMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ n, prime, seconds: best, peakMiB })}\n`);
