// `npm run bench:scale-model`: what W workers would do, past the two cores this machine has. A
// discrete-event simulation (scale-simulation.ts) of W workers pulling the real planner's jobs,
// with the per-job cost and Redis round trip as parameters. Calibrated and validated against
// `npm run bench:scale`'s measurements (its JSON, SCALE_RESULTS): the direct one-thread medians
// give this machine's seconds per estimated second; the 1- and 2-worker medians are what the
// model must predict within 10%. Then it prints, for W = 1, 2, 4 ... 256 and n = 1e12 ... 1e15,
// the single call's speedup, the throughput of a stream of calls, and what limits each
// point; and draws the speedups (docs/scale-model.svg).
//
// SCALE_MODEL_JOB_MS (default 2: the median per-job gap `npm run bench:breakdown` measured),
// SCALE_MODEL_CALL_MS (default 15: bench:breakdown's call sent -> jobs added, 12-20 ms at 1e13),
// SCALE_MODEL_RTT_MS (default 0.05, loopback; 0.5-1 in a cloud zone),
// SCALE_MODEL_REDIS_OPS_PER_JOB (default 16), SCALE_MODEL_REDIS_OPS_PER_SECOND (default 50000),
// SCALE_MODEL_FLOOR (QUEUE_PARALLELISM, default 2), SCALE_MODEL_TASK_SPREAD (default 0.15: how
// far a chunk's time strays from its estimate, as bench:breakdown's timelines show; single calls
// are the median of 9 draws), SCALE_MODEL_COMBINE_SCALE (default 0.45: bench:breakdown's combine,
// 27 ms at 1e13 and 60 ms at 1e14, against the walk's estimate of 48 and 157 ms scaled to this
// machine), SCALE_MODEL_SVG (where the plot goes).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { estimateNthPrimeSeconds } from '@twelvefa/calc';
import {
  type ModelParameters,
  planCalls,
  type SimulatedCall,
  type SimulationResult,
  simulate,
} from './scale-simulation.js';
import { speedupPlot } from './speedup-plot.js';

/** What bench:scale writes: medians in seconds by set-up and workload. */
interface ScaleResults {
  readonly machine: string;
  readonly medians: Record<string, Record<string, number>>;
}

const RESULTS =
  process.env.SCALE_RESULTS ?? fileURLToPath(new URL('./results/scale.json', import.meta.url));
const SVG =
  process.env.SCALE_MODEL_SVG ??
  fileURLToPath(new URL('../../../docs/scale-model.svg', import.meta.url));
const WORKERS = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const SIZES = [1e12, 1e13, 1e14, 1e15];
const WORKLOADS: Record<string, readonly number[]> = {
  '1e12': [1e12],
  '1e13': [1e13],
  '1e14': [1e14],
  '1e15': [1e15],
  '8 x 1e12': Array.from({ length: 8 }, (_, i) => 1e12 + (i + 1) * 1e9),
};

const measured: ScaleResults | undefined = existsSync(RESULTS)
  ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as ScaleResults)
  : undefined;

/** Measured seconds per estimated second, from the direct call at the nearest measured size. */
function secondsScale(): (n: number) => number {
  const direct = measured?.medians['direct (1 thread)'];
  if (direct === undefined) return () => 1;
  const points = (['1e12', '1e13', '1e14', '1e15'] as const)
    .filter((name) => direct[name] !== undefined)
    .map((name) => {
      const n = Number(name);
      return { log: Math.log10(n), scale: direct[name]! / estimateNthPrimeSeconds(n) };
    });
  return (n) => {
    const log = Math.log10(n);
    let best = points[0];
    for (const point of points)
      if (Math.abs(point.log - log) < Math.abs(best!.log - log)) best = point;
    return best?.scale ?? 1;
  };
}

const number = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const base: Omit<ModelParameters, 'workers'> = {
  parallelismFloor: number('SCALE_MODEL_FLOOR', 2),
  jobOverheadSeconds: number('SCALE_MODEL_JOB_MS', 2) / 1000,
  redisRttSeconds: number('SCALE_MODEL_RTT_MS', 0.05) / 1000,
  roundTripsPerJob: 3,
  redisOpsPerJob: number('SCALE_MODEL_REDIS_OPS_PER_JOB', 16),
  redisOpsPerSecond: number('SCALE_MODEL_REDIS_OPS_PER_SECOND', 50_000),
  secondsScale: secondsScale(),
  answerSeconds: 0.005,
  callSeconds: number('SCALE_MODEL_CALL_MS', 15) / 1000,
  taskSpread: number('SCALE_MODEL_TASK_SPREAD', 0.15),
  combineScale: number('SCALE_MODEL_COMBINE_SCALE', 0.45),
  seed: 1,
};
/** Runs of a single call, each with other task times drawn; the median is reported. */
const SEEDS = 9;

async function single(ns: readonly number[], workers: number): Promise<SimulationResult> {
  const calls: SimulatedCall[] = [{ at: 0, ns }];
  const plans = await planCalls(calls, { ...base, workers });
  const runs = Array.from({ length: SEEDS }, (_, seed) =>
    simulate(calls, plans, { ...base, workers, seed: seed + 1 }),
  );
  runs.sort((a, b) => a.latencies[0]! - b.latencies[0]!);
  return runs[SEEDS >> 1]!;
}

/**
 * Completed calls per second when calls of n arrive faster than W workers can answer them, and
 * the share of that time Redis was busy.
 */
async function throughput(
  n: number,
  workers: number,
  alone: number,
): Promise<{ rate: number; redis: number }> {
  const count = Math.max(24, 4 * workers);
  const interval = alone / workers / 1.5;
  // Distinct n, as a real stream asks: each its own plan.
  const calls = Array.from({ length: count }, (_, i) => ({ at: i * interval, ns: [n - i] }));
  const result = simulate(calls, await planCalls(calls, { ...base, workers }), {
    ...base,
    workers,
  });
  const firstAnswer = Math.min(...result.latencies.map((latency, i) => calls[i]!.at + latency));
  // The steady state: from the first answer to the last.
  return { rate: (count - 1) / (result.end - firstAnswer), redis: result.redisUtilisation };
}

/** What keeps a single call from W times one worker's speed. */
function limit(result: SimulationResult, one: number, workers: number): string {
  const latency = result.latencies[0]!;
  if (one / latency >= 0.9 * workers) return 'none: near linear';
  if (result.redisUtilisation > 0.5) return 'Redis operations per second';
  const ideal = one / workers;
  const losses: [string, number][] = [
    ['the combine step (serial walk)', result.combineSeconds],
    ["the queue's per-job cost", result.overheadSeconds / workers],
    [
      'chunk floor size (too few chunks)',
      latency - ideal - result.combineSeconds - result.overheadSeconds / workers,
    ],
  ];
  losses.sort((a, b) => b[1] - a[1]);
  return losses[0]![0];
}

console.log(
  `scale model: per-job cost ${(base.jobOverheadSeconds * 1000).toFixed(2)} ms, Redis RTT ${(base.redisRttSeconds * 1000).toFixed(2)} ms x ${base.roundTripsPerJob} per job, ${(base.callSeconds * 1000).toFixed(0)} ms per call before its jobs are queued, ${base.redisOpsPerJob} Redis ops per job at ${base.redisOpsPerSecond} ops/s, planning floor ${base.parallelismFloor}`,
);
if (measured === undefined) {
  console.log(
    `no measurements at ${RESULTS} (run npm run bench:scale): estimates taken as seconds, no validation\n`,
  );
} else {
  console.log(`calibrated and validated on ${RESULTS} (${measured.machine})\n`);
  console.log('validation: predicted against measured single calls (seconds)');
  let worst = 0;
  for (const [workload, ns] of Object.entries(WORKLOADS)) {
    for (const workers of [1, 2]) {
      const setup = `${workers} worker${workers > 1 ? 's' : ''}`;
      const actual = measured.medians[setup]?.[workload];
      if (actual === undefined) continue;
      const predicted = (await single(ns, workers)).latencies[0]!;
      const error = predicted / actual - 1;
      worst = Math.max(worst, Math.abs(error));
      console.log(
        `  ${workload.padEnd(9)} ${setup.padEnd(10)} predicted ${predicted.toFixed(3)}  measured ${actual.toFixed(3)}  ${(100 * error).toFixed(1).padStart(6)}%`,
      );
    }
  }
  console.log(
    `  largest error ${(100 * worst).toFixed(1)}% (<= 10%: ${worst <= 0.1 ? 'ok' : 'MISSED'})\n`,
  );
  if (worst > 0.1) process.exitCode = 1;
}

const series: { label: string; points: [number, number][] }[] = [];
console.log(
  '| W | n | one call (s) | speedup | throughput (calls/s) | per worker | Redis busy | one call limited by |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const n of SIZES) {
  const one = (await single([n], 1)).latencies[0]!;
  const oneThroughput = (await throughput(n, 1, one)).rate;
  const points: [number, number][] = [];
  // 1e15 stops at 64 workers: its stream there is already some 60,000 jobs, and the simulation
  // scans the queue for each one.
  for (const workers of WORKERS.filter((w) => n < 1e15 || w <= 64)) {
    const result = await single([n], workers);
    const latency = result.latencies[0]!;
    const { rate, redis } = await throughput(n, workers, latency);
    points.push([workers, one / latency]);
    console.log(
      `| ${workers} | ${n.toExponential(0)} | ${latency.toFixed(3)} | ${(one / latency).toFixed(2)} | ${rate.toFixed(2)} | ${(rate / workers / oneThroughput).toFixed(2)} | ${(100 * redis).toFixed(0)}% | ${limit(result, one, workers)} |`,
    );
  }
  series.push({ label: `n = ${n.toExponential(0)}`, points });
}
writeFileSync(SVG, speedupPlot(series, WORKERS));
console.log(`\nplot: ${SVG}`);
