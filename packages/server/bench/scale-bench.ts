// `npm run bench:scale`: how heavy nth-prime work scales with the workers that run it. Starts a
// private Redis and, as real processes: the API with W workers (WORKER_CONCURRENCY=1) for
// W = 1, 2 (up to the core count), the API on its embedded default, and a direct one-thread
// nthPrime; primecount runs too when it is found (PRIMECOUNT names the binary, else the one on
// PATH). Each set-up is warmed by a few calls, as a service that has been serving for a while
// is. Rounds take each workload through every set-up in turn, in a rotating order (this VM's
// speed drifts by tens of percent over minutes), with fresh n of the same size each time
// (n - k), so no cache answers; medians are printed. Each round also starts a fresh copy of
// every set-up and makes its first call (near 1e13) as soon as it reports ready: the first-call
// median against the warm one. Then: a worker that arrives mid-call (1 warm worker, np near
// 1e14 and near 1e15, a second worker started 1 s in), a burst of 27 concurrent calls near
// 4 * 10^11, and Add's latency while heavy work runs. The floors are checked at the end; the
// exit code is 1 when one is missed.
//
// SCALE_ROUNDS (default 5), SCALE_WORKLOADS=1e13,1e14 and SCALE_SETUPS="1 worker,2 workers"
// narrow a run; a narrowed run skips the late worker, the burst, Add and the floors.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestRedis, type TestRedis } from '@twelvefa/test-support';
import {
  directSetup,
  type FreshSetup,
  primecountBinary,
  primecountSetup,
  queueEnvironment,
  type Setup,
  serviceSetup,
  startApi,
  startWorker,
  timedCall,
} from './scale-setups.js';

const ROUNDS = Number(process.env.SCALE_ROUNDS ?? '5');
const CORES = os.availableParallelism();
const WORKER_COUNTS = Array.from({ length: Math.max(2, CORES) }, (_, i) => i + 1);
const WORKLOADS = [
  { name: '1e12', ns: [1e12] },
  { name: '1e13', ns: [1e13] },
  { name: '1e14', ns: [1e14] },
  { name: '1e15', ns: [1e15] },
  // Apart from the single 1e12 (and from each other), so no n of the batch is already cached.
  { name: '8 x 1e12', ns: Array.from({ length: 8 }, (_, i) => 1e12 + (i + 1) * 1e9) },
] as const;
type Workload = (typeof WORKLOADS)[number]['name'];
/** The first call of a fresh set-up: near 1e13 (compared with the warm 1e13 median). */
const FIRST = 1e13 - 997;
const DIRECT = 'direct (1 thread)';
const DEFAULT_RESULTS = fileURLToPath(new URL('./results/scale.json', import.meta.url));
/** Rounds of the late-worker phase. */
const LATE_ROUNDS = Number(process.env.SCALE_LATE_ROUNDS ?? '3');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Every round's seconds of every set-up and workload, and of each fresh set-up's first call. */
interface Measured {
  /** Median seconds of a set-up on a workload. */
  at(setup: string, workload: Workload): number;
  /** Median seconds of a fresh copy's first call, by set-up. */
  readonly first: ReadonlyMap<string, number>;
}

async function measure(
  setups: readonly Setup[],
  fresh: readonly FreshSetup[],
  workloads: readonly (typeof WORKLOADS)[number][],
): Promise<Measured> {
  const seconds = new Map<string, number[]>();
  const firsts = new Map<string, number[]>();
  const record = (map: Map<string, number[]>, key: string, took: number): void => {
    map.set(key, [...(map.get(key) ?? []), took]);
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const workload of workloads) {
      for (let i = 0; i < setups.length; i++) {
        const setup = setups[(i + round) % setups.length]!;
        // Fresh n each round and set-up, so no cache or kept job answers.
        const offset = round * setups.length + i;
        const took = await setup.run(workload.ns.map((n) => n - offset));
        record(seconds, `${setup.name}|${workload.name}`, took);
      }
    }
    if (workloads.some((w) => w.name === '1e13')) {
      for (let i = 0; i < fresh.length; i++) {
        const setup = fresh[(i + round) % fresh.length]!;
        record(firsts, setup.name, await setup.firstCall([FIRST - round * fresh.length - i]));
      }
    }
    process.stderr.write(`round ${round + 1} of ${ROUNDS} done\n`);
  }
  return {
    at: (setup, workload) => median(seconds.get(`${setup}|${workload}`) ?? [Number.NaN]),
    first: new Map([...firsts].map(([name, took]) => [name, median(took)])),
  };
}

/** The late-worker figures: the call's seconds, and when the second worker was ready. */
interface LateWorker {
  readonly seconds: number;
  /** Seconds from the call's start to the second worker reporting ready (it was started at 1 s). */
  readonly joinedAt: number;
}

/** The sizes the late-worker phase is measured at: the 1e14, and 1e15 (see bound). */
const LATE_WORKLOADS = ['1e14', '1e15'] as const;

/**
 * One np near `n` that starts on 1 warm worker, with a second worker started 1 s in (as KEDA
 * adds one mid-call); medians over LATE_ROUNDS, each on a fresh queue.
 */
async function lateWorker(redis: TestRedis, n: number): Promise<LateWorker> {
  const took: number[] = [];
  const joined: number[] = [];
  for (let round = 0; round < LATE_ROUNDS; round++) {
    const shared = queueEnvironment(`late-${n}-${round}`, redis);
    const first = await startWorker(shared);
    const { api, client } = await startApi(shared);
    const processes = [first, api];
    try {
      // Warm, as the 2 workers it is compared with are: the first call is measured apart.
      await timedCall(client, [1e13 + 31 + round], 'late worker warm-up');
      const started = performance.now();
      const call = timedCall(client, [n - 500 - round], 'late worker');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      processes.push(await startWorker(shared));
      joined.push((performance.now() - started) / 1000);
      took.push(await call);
    } finally {
      client.close();
      await Promise.all(processes.map((process) => process.stop()));
    }
  }
  return { seconds: median(took), joinedAt: median(joined) };
}

/** First, median and last latency of 27 concurrent calls near 4e11. */
async function burst(setup: Setup, base: number): Promise<string> {
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: 27 }, (_, i) =>
      setup.run([base + i * 1e5]).then(() => (performance.now() - started) / 1000),
    ),
  );
  const sorted = [...latencies].sort((a, b) => a - b);
  const last = sorted[sorted.length - 1]!;
  return `first ${sorted[0]!.toFixed(2)} s, median ${median(sorted).toFixed(2)} s, last ${last.toFixed(2)} s`;
}

/** Add's latencies (ms) on the embedded default while NthPrimes(~1e14) keeps every core busy. */
async function addDuringHeavyWork(): Promise<number[]> {
  const { api, client } = await startApi({ LOG_LEVEL: 'info' });
  try {
    await client.add(1n, 1n);
    let heavyDone = false;
    const heavy = client.nthPrimes([BigInt(1e14 - 7)], { deadlineMs: 600_000 }).then(() => {
      heavyDone = true;
    });
    const latencies: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, 300));
    while (!heavyDone) {
      const started = performance.now();
      await client.add(2n, 5n);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await heavy;
    return latencies;
  } finally {
    client.close();
    await api.stop();
  }
}

const onlyWorkloads = process.env.SCALE_WORKLOADS?.split(',');
const onlySetups = process.env.SCALE_SETUPS?.split(',');
const narrowed = onlyWorkloads !== undefined || onlySetups !== undefined;
const workloads = WORKLOADS.filter((w) => onlyWorkloads?.includes(w.name) ?? true);
const wanted = (name: string): boolean => onlySetups?.includes(name) ?? true;
const primecount = primecountBinary();

const redis = await startTestRedis();
const setups: Setup[] = [];
const fresh: FreshSetup[] = [];
try {
  if (wanted(DIRECT)) fresh.push(await directSetup(DIRECT));
  if (wanted('embedded default')) fresh.push(await serviceSetup('embedded default', 0, undefined));
  for (const workers of WORKER_COUNTS) {
    const name = `${workers} worker${workers > 1 ? 's' : ''}`;
    if (wanted(name)) fresh.push(await serviceSetup(name, workers, redis));
  }
  setups.push(...fresh);
  for (const threads of [1, ...WORKER_COUNTS.filter((w) => w > 1)]) {
    const peer = primecount === null ? null : primecountSetup(primecount.path, threads);
    if (peer !== null && wanted(peer.name)) setups.push(peer);
  }
  const measured = await measure(setups, fresh, workloads);
  const at = measured.at;

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`scale benchmark: node ${process.version}, ${CORES} x ${cpu}`);
  if (primecount !== null) console.log(`against ${primecount.version} (${primecount.path})`);
  console.log(`wall seconds, median of ${ROUNDS} rounds; speedup against 1 worker / direct\n`);
  console.log(`${'set-up'.padEnd(20)} ${workloads.map((w) => w.name.padStart(9)).join(' ')}`);
  for (const setup of setups) {
    const cells = workloads.map((w) => at(setup.name, w.name).toFixed(3).padStart(9)).join(' ');
    const ratios = workloads
      .map((w) => {
        const vs = (other: string): string =>
          (at(other, w.name) / at(setup.name, w.name)).toFixed(2);
        return `${vs('1 worker')}/${vs(DIRECT)}`;
      })
      .join(' ');
    console.log(`${setup.name.padEnd(20)} ${cells}   ${ratios}`);
  }
  // The medians, for bench:scale-model to calibrate and validate on (a narrowed run writes
  // them only where SCALE_RESULTS says, so it never replaces a full run's).
  const results = process.env.SCALE_RESULTS ?? (narrowed ? undefined : DEFAULT_RESULTS);
  if (results !== undefined) {
    const medians = Object.fromEntries(
      setups.map((setup) => [
        setup.name,
        Object.fromEntries(workloads.map((w) => [w.name, at(setup.name, w.name)])),
      ]),
    );
    const first = Object.fromEntries(measured.first);
    const machine = `${CORES} x ${cpu}, node ${process.version}`;
    mkdirSync(dirname(results), { recursive: true });
    writeFileSync(
      results,
      `${JSON.stringify({ machine, rounds: ROUNDS, medians, first }, null, 2)}\n`,
    );
  }
  const firstRatio = new Map<string, number>();
  if (measured.first.size > 0) {
    console.log(
      `\nfirst call of a fresh set-up (n near 1e13, as soon as it reported ready; median of ${ROUNDS}):`,
    );
    for (const [name, seconds] of measured.first) {
      const ratio = seconds / at(name, '1e13');
      firstRatio.set(name, ratio);
      console.log(
        `  ${name.padEnd(18)} ${seconds.toFixed(3)} s, ${ratio.toFixed(2)}x its warm 1e13 median`,
      );
    }
  }
  if (setups.some((s) => s.name === 'primecount -t1')) {
    console.log('\nours / primecount: the direct call against -t1, W workers against -tW');
    for (const w of workloads) {
      const parts = [`direct ${(at(DIRECT, w.name) / at('primecount -t1', w.name)).toFixed(1)}x`];
      for (const workers of WORKER_COUNTS.filter((c) => c > 1)) {
        const ratio = at(`${workers} workers`, w.name) / at(`primecount -t${workers}`, w.name);
        parts.push(`${workers} workers ${ratio.toFixed(1)}x`);
      }
      console.log(`  ${w.name.padEnd(9)} ${parts.join(', ')}`);
    }
  }

  if (!narrowed) {
    const lateRatio = new Map<string, number>();
    for (const workload of LATE_WORKLOADS) {
      const late = await lateWorker(redis, Number(workload));
      const twoWorkers = at('2 workers', workload);
      lateRatio.set(workload, late.seconds / twoWorkers);
      // The best a worker ready at `joinedAt` allows: the first worker alone until then, the
      // rest shared by two. It is above 1.15 whenever the call is short next to the join time.
      const bound = (at('1 worker', workload) + late.joinedAt) / 2 / twoWorkers;
      console.log(
        `\na worker arriving mid-call (1 warm worker, a second started 1 s in), n near ${workload}: ${late.seconds.toFixed(3)} s, ${(late.seconds / twoWorkers).toFixed(2)}x 2 workers from the start (median of ${LATE_ROUNDS}); the second worker was ready ${late.joinedAt.toFixed(2)} s into the call, so perfect sharing from then on would give ${bound.toFixed(2)}x`,
      );
    }
    console.log('\nburst of 27 concurrent calls near 4e11:');
    for (const [name, base] of [
      ['embedded default', 4e11],
      ['2 workers', 4e11 + 1e7],
    ] as const) {
      const setup = setups.find((s) => s.name === name);
      if (setup !== undefined) console.log(`  ${name.padEnd(18)} ${await burst(setup, base)}`);
    }
    const addMs = await addDuringHeavyWork();
    const p99 = percentile(addMs, 99);
    console.log(
      `\nAdd during NthPrimes(~1e14) on the embedded default: ${addMs.length} calls, p50 ${percentile(addMs, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${Math.max(...addMs).toFixed(2)} ms`,
    );

    const speedup = (fast: string, slow: string, workload: Workload): number =>
      at(slow, workload) / at(fast, workload);
    // [what, value, floor, at least (true) or at most]
    const floors: [string, number, number, boolean][] = [
      ['2 workers vs 1 worker, 1e13', speedup('2 workers', '1 worker', '1e13'), 1.8, true],
      ['2 workers vs 1 worker, 1e14', speedup('2 workers', '1 worker', '1e14'), 1.8, true],
      ['2 workers vs 1 worker, 8 x 1e12', speedup('2 workers', '1 worker', '8 x 1e12'), 1.8, true],
      ['2 workers vs embedded, 1e13', speedup('2 workers', 'embedded default', '1e13'), 0.95, true],
      ['2 workers vs embedded, 1e14', speedup('2 workers', 'embedded default', '1e14'), 0.95, true],
      ['2 workers vs direct, 1e13', speedup('2 workers', DIRECT, '1e13'), 1.7, true],
      ['embedded default vs direct, 1e13', speedup('embedded default', DIRECT, '1e13'), 1.7, true],
      ['first call / warm, embedded', firstRatio.get('embedded default') ?? Number.NaN, 1.1, false],
      ['first call / warm, 1 worker', firstRatio.get('1 worker') ?? Number.NaN, 1.1, false],
      ['first call / warm, 2 workers', firstRatio.get('2 workers') ?? Number.NaN, 1.1, false],
      ['late worker / 2 workers, 1e14', lateRatio.get('1e14') ?? Number.NaN, 1.15, false],
      ['late worker / 2 workers, 1e15', lateRatio.get('1e15') ?? Number.NaN, 1.15, false],
      ['Add p99 during heavy work (ms)', p99, 20, false],
    ];
    console.log('\nfloors:');
    let missed = 0;
    for (const [what, value, floor, atLeast] of floors) {
      const ok = atLeast ? value >= floor : value <= floor;
      if (!ok) missed++;
      console.log(
        `  ${what.padEnd(34)} ${value.toFixed(3)} (${atLeast ? '>=' : '<='} ${floor}) ${ok ? 'ok' : 'MISSED'}`,
      );
    }
    if (missed > 0) process.exitCode = 1;
  }
} finally {
  await Promise.all(setups.map((setup) => setup.close()));
  await redis.close();
}
