// `npm run bench:scale`: how heavy nth-prime work scales with the workers that run it. Starts a
// private Redis and, as real processes: the API with W workers (WORKER_CONCURRENCY=1) for
// W = 1, 2 (up to the core count), the API on its embedded default, and a direct one-thread
// nthPrime; `primecount --nth-prime N -tW` runs too when it is on PATH. Every set-up is warmed
// first, as a service that has been serving for a while is. Rounds take each workload through
// every set-up in turn, in a rotating order (this VM's speed drifts by tens of percent over
// minutes), with fresh n of the same size each time (n - k), so no cache answers; medians are
// printed. Then: a burst of 27 concurrent calls near 4 * 10^11 (first and median latency), and
// Add's latency while heavy work runs. The heavy-work issue's floors are checked at the end;
// the exit code is 1 when one is missed.
//
// SCALE_ROUNDS (default 5), SCALE_WORKLOADS=1e13,1e14 and SCALE_SETUPS="1 worker,2 workers"
// narrow a run; a narrowed run skips the burst, Add and the floors.
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, ManagedProcess, startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { BIN } from '../test/helpers/bins.js';
import { TestCalcClient } from '../test/helpers/calc-client.js';

const ROUNDS = Number(process.env.SCALE_ROUNDS ?? '5');
const CORES = os.availableParallelism();
const WORKER_COUNTS = Array.from({ length: Math.max(2, CORES) }, (_, i) => i + 1);
const WORKLOADS = [
  { name: '1e12', ns: [1e12] },
  { name: '1e13', ns: [1e13] },
  { name: '1e14', ns: [1e14] },
  // Apart from the single 1e12 (and from each other), so no n of the batch is already cached.
  { name: '8 x 1e12', ns: Array.from({ length: 8 }, (_, i) => 1e12 + (i + 1) * 1e9) },
] as const;
type Workload = (typeof WORKLOADS)[number]['name'];
/** Run by every set-up before it is measured: a few seconds at each size, n no round uses. */
const WARM_UP = [3e13 + 11, 1e13 + 11, 1e12 + 11, 1e12 + 12];
const DIRECT = 'direct, one thread';

/** Something that computes a batch of n and reports the seconds it took. */
interface Setup {
  readonly name: string;
  run(ns: readonly number[]): Promise<number>;
  close(): Promise<void>;
}

/** An API (and its workers, with Redis) answering NthPrimes over real gRPC. */
async function serviceSetup(name: string, workers: number, redis?: TestRedis): Promise<Setup> {
  const queue = `scale-${name.replace(/\W+/g, '-')}-${process.pid}`;
  const shared: Record<string, string> =
    redis === undefined
      ? {}
      : { REDIS_URL: redis.url, QUEUE_PREFIX: 'twelvefa-bench', QUEUE_NAME: queue };
  const processes: ManagedProcess[] = [];
  for (let i = 0; i < workers; i++) {
    processes.push(
      ManagedProcess.node(BIN.worker, {
        ...shared,
        WORKER_CONCURRENCY: '1',
        LOG_LEVEL: 'warn',
        JOB_KEEP_COMPLETED: '0',
      }),
    );
  }
  const port = await freePort();
  const api = ManagedProcess.node(BIN.api, { ...shared, PORT: String(port), HOST: '127.0.0.1' });
  processes.push(api);
  await api.waitForRecord((line) => line.msg === 'listening', 30_000);
  const client = new TestCalcClient(port);
  // Workers connect in the background: give the API time to count them, then warm up.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  for (const n of WARM_UP) await client.nthPrimes([BigInt(n)], { deadlineMs: 300_000 });
  return {
    name,
    async run(ns) {
      const started = performance.now();
      const result = await client.nthPrimes(ns.map(BigInt), { deadlineMs: 600_000 });
      if (!result.ok) throw new Error(`${name}: ${result.code} ${result.details}`);
      return (performance.now() - started) / 1000;
    },
    async close() {
      client.close();
      await Promise.all(processes.map((process) => process.stop()));
    },
  };
}

/** nthPrime on the main thread of a warm child process, one n after another. */
async function directSetup(): Promise<Setup> {
  const file = fileURLToPath(new URL('./direct-nth-prime.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const compute = async (n: number): Promise<number> => {
    child.stdin.write(`${n}\n`);
    const next = await lines.next();
    return (JSON.parse(String(next.value)) as { seconds: number }).seconds;
  };
  for (const n of WARM_UP) await compute(n);
  return {
    name: DIRECT,
    async run(ns) {
      let seconds = 0;
      for (const n of ns) seconds += await compute(n);
      return seconds;
    },
    async close() {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** primecount's own timing of --nth-prime, or null when it is not installed. */
function primecountSetup(threads: number): Setup | null {
  const probe = spawnSync('primecount', ['--version']);
  if (probe.error || probe.status !== 0) return null;
  return {
    name: `primecount -t${threads}`,
    async run(ns) {
      let seconds = 0;
      for (const n of ns) {
        const result = spawnSync(
          'primecount',
          ['--nth-prime', String(n), `-t${threads}`, '--time'],
          { encoding: 'utf8' },
        );
        seconds += Number(result.stdout.trim().split('\n')[1]?.replace('Seconds:', '').trim());
      }
      return seconds;
    },
    close: async () => undefined,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Median seconds of every set-up and workload over the rounds. */
async function measure(
  setups: readonly Setup[],
  workloads: readonly (typeof WORKLOADS)[number][],
): Promise<(setup: string, workload: Workload) => number> {
  const seconds = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const workload of workloads) {
      for (let i = 0; i < setups.length; i++) {
        const setup = setups[(i + round) % setups.length]!;
        // Fresh n each round and set-up, so no cache or kept job answers.
        const offset = round * setups.length + i;
        const took = await setup.run(workload.ns.map((n) => n - offset));
        const key = `${setup.name}|${workload.name}`;
        seconds.set(key, [...(seconds.get(key) ?? []), took]);
      }
    }
    process.stderr.write(`round ${round + 1} of ${ROUNDS} done\n`);
  }
  return (setup, workload) => median(seconds.get(`${setup}|${workload}`) ?? [Number.NaN]);
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
  const port = await freePort();
  const api = ManagedProcess.node(BIN.api, {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  try {
    await api.waitForRecord((line) => line.msg === 'listening', 30_000).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const client = new TestCalcClient(port);
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
    client.close();
    return latencies;
  } finally {
    await api.stop();
  }
}

const onlyWorkloads = process.env.SCALE_WORKLOADS?.split(',');
const onlySetups = process.env.SCALE_SETUPS?.split(',');
const narrowed = onlyWorkloads !== undefined || onlySetups !== undefined;
const workloads = WORKLOADS.filter((w) => onlyWorkloads?.includes(w.name) ?? true);
const wanted = (name: string): boolean => onlySetups?.includes(name) ?? true;

const redis = await startTestRedis();
const setups: Setup[] = [];
try {
  if (wanted(DIRECT)) setups.push(await directSetup());
  if (wanted('embedded default')) setups.push(await serviceSetup('embedded default', 0));
  for (const workers of WORKER_COUNTS) {
    const name = `${workers} worker${workers > 1 ? 's' : ''}`;
    if (wanted(name)) setups.push(await serviceSetup(name, workers, redis));
  }
  for (const threads of [1, ...WORKER_COUNTS.filter((w) => w > 1)]) {
    const peer = primecountSetup(threads);
    if (peer !== null && wanted(peer.name)) setups.push(peer);
  }
  const at = await measure(setups, workloads);

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`scale benchmark: node ${process.version}, ${CORES} x ${cpu}`);
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
    console.log('\nburst of 27 concurrent calls near 4e11 (each about 0.2 s alone on one core):');
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
    const floors: [string, number, number][] = [
      ['2 workers vs 1 worker, 1e13', speedup('2 workers', '1 worker', '1e13'), 1.8],
      ['2 workers vs 1 worker, 1e14', speedup('2 workers', '1 worker', '1e14'), 1.8],
      ['2 workers vs 1 worker, 8 x 1e12', speedup('2 workers', '1 worker', '8 x 1e12'), 1.8],
      ['2 workers vs direct, 1e13', speedup('2 workers', DIRECT, '1e13'), 1.7],
      ['embedded default vs direct, 1e13', speedup('embedded default', DIRECT, '1e13'), 1.7],
    ];
    console.log('\nfloors:');
    let missed = 0;
    for (const [what, value, floor] of floors) {
      if (!(value >= floor)) missed++;
      console.log(
        `  ${what.padEnd(34)} ${value.toFixed(2)}x (>= ${floor}) ${value >= floor ? 'ok' : 'MISSED'}`,
      );
    }
    if (!(p99 < 20)) missed++;
    console.log(
      `  ${'Add p99 during heavy work'.padEnd(34)} ${p99.toFixed(2)} ms (< 20) ${p99 < 20 ? 'ok' : 'MISSED'}`,
    );
    if (missed > 0) process.exitCode = 1;
  }
} finally {
  await Promise.all(setups.map((setup) => setup.close()));
  await redis.close();
}
