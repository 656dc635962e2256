// One measurement in a fresh process, so memory and JIT state belong to this n alone. Prints one
// JSON line.
//   direct N RUNS            -> {"n", "prime", "seconds" (best), "peakMiB"}
//   chunks N WORKERS ROUNDS  -> {"n", "chunks", "direct", "chunked", "cold", "chunkSeconds"}:
//                               medians of CPU seconds over rounds that alternate the direct
//                               computation and the plan's chunks (each through JSON) plus the
//                               final walk; `cold` builds every table afresh for each chunk, as
//                               if each ran on a new worker, `chunked` reuses them as one does
import {
  combineNthPrime,
  computeChunk,
  type NthPrimeChunk,
  type NthPrimeChunkResult,
  nthPrime,
  planNthPrime,
} from '../src/index.js';
import { forgetPrimeCountTables } from '../src/prime/prime-count-tables.js';

function cpuSeconds(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const [mode, nText, countText, roundsText] = process.argv.slice(2);
const n = Number(nText);
if (mode === 'direct') {
  let best = Number.POSITIVE_INFINITY;
  let prime = 0;
  for (let run = 0; run < Number(countText ?? '3'); run++) {
    best = Math.min(
      best,
      cpuSeconds(() => (prime = nthPrime(n))),
    );
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ n, prime, seconds: best, peakMiB })}\n`);
} else if (mode === 'chunks') {
  const plan = planNthPrime(n, { parallelism: Number(countText ?? '2') });
  const direct: number[] = [];
  const chunked: number[] = [];
  const cold: number[] = [];
  let chunkSeconds: number[] = [];
  /** CPU seconds of every chunk and the walk, with the chunks' own seconds. */
  const runChunks = (expected: number, fresh: boolean): { total: number; seconds: number[] } => {
    const seconds: number[] = [];
    const results: NthPrimeChunkResult[] = [];
    for (const chunk of plan.chunks) {
      const shipped = JSON.parse(JSON.stringify(chunk)) as NthPrimeChunk;
      if (fresh) forgetPrimeCountTables();
      seconds.push(
        cpuSeconds(() => results.push(JSON.parse(JSON.stringify(computeChunk(shipped))))),
      );
    }
    let prime = 0;
    const walk = cpuSeconds(() => (prime = combineNthPrime(plan, results)));
    if (prime !== expected) throw new Error(`chunks gave ${prime}, the direct call ${expected}`);
    return { total: seconds.reduce((sum, s) => sum + s, walk), seconds };
  };
  for (let round = 0; round < Number(roundsText ?? '3'); round++) {
    let expected = 0;
    forgetPrimeCountTables();
    direct.push(cpuSeconds(() => (expected = nthPrime(n))));
    const warm = runChunks(expected, false);
    chunked.push(warm.total);
    chunkSeconds = warm.seconds;
    cold.push(runChunks(expected, true).total);
  }
  process.stdout.write(
    `${JSON.stringify({ n, chunks: plan.chunks.length, direct: median(direct), chunked: median(chunked), cold: median(cold), chunkSeconds })}\n`,
  );
} else {
  throw new Error(`usage: nth-prime-child direct N RUNS | chunks N WORKERS ROUNDS`);
}
