// One measurement in a fresh process, so memory and JIT state belong to this n alone. Prints one
// JSON line; every time is CPU seconds of this thread (Linux: /proc/thread-self/stat, in 10 ms
// ticks; elsewhere the process's), so that V8's background compiler and GC threads, which the
// shared machine runs on the other core, are not counted as the computation's.
//   first N WARM        -> {"n", "prime", "warmUpMs", "first", "warm": [...], "peakMiB"}: the
//                          warm-up a compute thread runs at start (warmUpNthPrime), the first
//                          call after it, then WARM more calls of the same n
//   chunks N WORKERS ROUNDS -> {"n", "chunks", "direct", "chunked", "chunkSeconds"}: medians over
//                          rounds that alternate the direct computation and the plan's chunks
//                          (each through JSON) plus the final walk
import { readFileSync } from 'node:fs';
import {
  combinePlan,
  computeChunk,
  nthPrimeExact,
  type PrimeCountChunk,
  type PrimeCountChunkResult,
  planTargets,
  warmUpNthPrime,
} from '../src/index.js';

/** This thread's CPU seconds so far, or null where /proc/thread-self is not there. */
function threadSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function cpuSeconds(work: () => void): number {
  const thread = threadSeconds();
  const started = process.cpuUsage();
  work();
  const after = threadSeconds();
  if (thread !== null && after !== null) return after - thread;
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const [mode, nText, countText, roundsText] = process.argv.slice(2);
const n = BigInt(nText ?? '0');
if (mode === 'first') {
  const warmUpMs = warmUpNthPrime();
  let prime = 0n;
  const first = cpuSeconds(() => {
    prime = nthPrimeExact(n);
  });
  const warm: number[] = [];
  for (let run = 0; run < Number(countText ?? '2'); run++) {
    warm.push(
      cpuSeconds(() => {
        if (nthPrimeExact(n) !== prime) throw new Error(`p(${n}) changed between calls`);
      }),
    );
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({ n: String(n), prime: String(prime), warmUpMs, first, warm, peakMiB })}\n`,
  );
} else if (mode === 'chunks') {
  warmUpNthPrime();
  const [plan] = planTargets([{ kind: 'nth-prime', n }], { parallelism: Number(countText ?? '2') });
  if (plan === undefined) throw new Error(`no plan for ${n}`);
  const direct: number[] = [];
  const chunked: number[] = [];
  let chunkSeconds: number[] = [];
  for (let round = 0; round < Number(roundsText ?? '3'); round++) {
    let expected = 0n;
    direct.push(
      cpuSeconds(() => {
        expected = nthPrimeExact(n);
      }),
    );
    const seconds: number[] = [];
    const results: PrimeCountChunkResult[] = [];
    for (const chunk of plan.chunks) {
      const shipped = JSON.parse(JSON.stringify(chunk)) as PrimeCountChunk;
      seconds.push(
        cpuSeconds(() => results.push(JSON.parse(JSON.stringify(computeChunk(shipped))))),
      );
    }
    let prime = 0n;
    const walk = cpuSeconds(() => {
      prime = combinePlan(plan, results);
    });
    if (prime !== expected) throw new Error(`chunks gave ${prime}, the direct call ${expected}`);
    chunked.push(seconds.reduce((sum, s) => sum + s, walk));
    chunkSeconds = seconds;
  }
  process.stdout.write(
    `${JSON.stringify({ n: String(n), chunks: plan.chunks.length, direct: median(direct), chunked: median(chunked), chunkSeconds })}\n`,
  );
} else {
  throw new Error('usage: nth-prime-child first N WARM | chunks N WORKERS ROUNDS');
}
