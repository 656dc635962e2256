// `npm run bench:breakdown`: where a heavy call's time goes on the queue path, beside the
// embedded pool on the same cores. Starts a private Redis, the API with BREAKDOWN_WORKERS
// workers (default 2, WORKER_CONCURRENCY=1) and, apart, the API on its embedded default; warms
// both; then, per round and set-up (alternating), one call of n near BREAKDOWN_N (default 1e14)
// and reads:
// - CPU seconds of each process during the call, split by thread (the main thread, the compute
//   threads, the rest: GC, libuv), and Redis's own (INFO cpu);
// - from the workers' debug log: each job's compute time, the gap from one job's end of
//   computing to the next one's start on the same worker (the queue's per-job cost), where the
//   combine ran, the wait from the last chunk to the combine, and from the combine to the answer;
//   from the API's debug log, how long it planned and how long adding the jobs took; the time
//   from the call to the first chunk computing (planning, the add, the pick-up), and
//   how far apart the workers finish their last chunks (the plan's imbalance).
// BREAKDOWN_ROUNDS (default 3) rounds; medians are printed. BREAKDOWN_TIMELINE=1 also prints
// every call's jobs per worker, on stderr.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { freePort, type LogRecord, ManagedProcess, startTestRedis } from '@twelvefa/test-support';
import { Redis } from 'ioredis';
import { BIN } from '../test/helpers/bins.js';
import { TestCalcClient } from '../test/helpers/calc-client.js';

const N = Number(process.env.BREAKDOWN_N ?? '1e14');
const WORKERS = Number(process.env.BREAKDOWN_WORKERS ?? '2');
const ROUNDS = Number(process.env.BREAKDOWN_ROUNDS ?? '3');
const TICK = 100; // clock ticks per second of /proc/<pid>/task/<tid>/stat (Linux's USER_HZ)

/** CPU seconds per thread of a process, by thread name (comm). */
function threadCpu(pid: number): Map<number, { name: string; seconds: number }> {
  const threads = new Map<number, { name: string; seconds: number }>();
  const dir = `/proc/${pid}/task`;
  for (const tid of readdirSync(dir).map(Number)) {
    try {
      const stat = readFileSync(`${dir}/${tid}/stat`, 'utf8');
      // Fields after the parenthesised name: state is 3rd, utime 14th, stime 15th.
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(after[11]) + Number(after[12])) / TICK;
      const name = readFileSync(`${dir}/${tid}/comm`, 'utf8').trim();
      threads.set(tid, { name, seconds });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

type ThreadCpu = ReturnType<typeof threadCpu>;

/** CPU seconds a process spent since `before`, split into main thread, compute threads and the rest. */
function cpuSince(
  pid: number,
  before: ThreadCpu,
): { main: number; compute: number; other: number } {
  let main = 0;
  const others: number[] = [];
  for (const [tid, { seconds }] of threadCpu(pid)) {
    const spent = seconds - (before.get(tid)?.seconds ?? 0);
    if (tid === pid) main = spent;
    else others.push(spent);
  }
  // Compute threads are the busy ones: above a tenth of the busiest.
  const busiest = Math.max(0, ...others);
  const compute = others.filter((s) => s > busiest / 10 && s > 0.05).reduce((a, b) => a + b, 0);
  const other = others.reduce((a, b) => a + b, 0) - compute;
  return { main, compute, other };
}

/** CPU seconds spent during `during`, as cpuSince splits them. */
async function cpuDuring<T>(
  pid: number,
  during: () => Promise<T>,
): Promise<{ value: T; main: number; compute: number; other: number }> {
  const before = threadCpu(pid);
  const value = await during();
  return { value, ...cpuSince(pid, before) };
}

async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1]);
  return field('used_cpu_sys') + field('used_cpu_user');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const time = (record: LogRecord): number => Number(record.time);

/** The per-job figures of one call, from the workers' records since `from`. */
function jobTimeline(
  workers: readonly ManagedProcess[],
  from: readonly number[],
  sentAt: number,
  answeredAt: number,
) {
  const gaps: number[] = [];
  const computeMs: number[] = [];
  let firstStarted = Number.POSITIVE_INFINITY;
  // Each worker's end of its last chunk: their spread is the time one waits for the other.
  const chunksDone: number[] = [];
  let lastChunkDone = 0;
  let combine: { worker: number; started: number; computed: number; ms: number } | undefined;
  workers.forEach((worker, w) => {
    const records = worker.records.slice(from[w]);
    let lastComputed: number | undefined;
    let workerChunksDone: number | undefined;
    for (const record of records) {
      if (record.msg === 'job started') {
        firstStarted = Math.min(firstStarted, time(record));
        if (lastComputed !== undefined) gaps.push(time(record) - lastComputed);
        if (record.kind === 'combine')
          combine = { worker: w, started: time(record), computed: 0, ms: 0 };
      }
      if (record.msg === 'job computed') {
        lastComputed = time(record);
        const ms = Number(record.computeMs);
        if (record.kind === 'combine' && combine !== undefined) {
          combine.computed = time(record);
          combine.ms = ms;
        } else {
          computeMs.push(ms);
          lastChunkDone = Math.max(lastChunkDone, time(record));
          workerChunksDone = time(record);
        }
      }
    }
    if (workerChunksDone !== undefined) chunksDone.push(workerChunksDone);
  });
  return {
    jobs: computeMs.length,
    computeSeconds: computeMs.reduce((a, b) => a + b, 0) / 1000,
    firstStartMs: firstStarted - sentAt,
    unevenEndMs:
      chunksDone.length > 1 ? Math.max(...chunksDone) - Math.min(...chunksDone) : Number.NaN,
    gapMs: gaps.length > 0 ? median(gaps) : Number.NaN,
    maxGapMs: gaps.length > 0 ? Math.max(...gaps) : Number.NaN,
    combineWorker: combine?.worker,
    combineMs: combine?.ms ?? Number.NaN,
    lastChunkToCombineMs: combine === undefined ? Number.NaN : combine.started - lastChunkDone,
    combineToAnswerMs: combine === undefined ? Number.NaN : answeredAt - combine.computed,
  };
}

/** Each worker's jobs of one call: when each started and was computed, ms before the answer. */
function printTimeline(
  workers: readonly ManagedProcess[],
  from: readonly number[],
  answeredAt: number,
): void {
  workers.forEach((worker, w) => {
    const lines = worker.records
      .slice(from[w])
      .filter((record) => record.msg === 'job started' || record.msg === 'job computed')
      .map((record) =>
        record.msg === 'job started'
          ? `  worker ${w} at -${answeredAt - time(record)} ms: started ${record.job}`
          : `  worker ${w} at -${answeredAt - time(record)} ms: computed in ${Number(record.computeMs).toFixed(0)} ms`,
      );
    console.error(lines.join('\n'));
  });
}

const redis = await startTestRedis();
const admin = new Redis(redis.url);
const queue = `breakdown-${process.pid}`;
const shared = { REDIS_URL: redis.url, QUEUE_PREFIX: 'twelvefa-bench', QUEUE_NAME: queue };
const workers = Array.from({ length: WORKERS }, () =>
  ManagedProcess.node(BIN.worker, {
    ...shared,
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'debug',
    JOB_KEEP_COMPLETED: '0',
  }),
);
const queuedPort = await freePort();
const queued = ManagedProcess.node(BIN.api, {
  ...shared,
  PORT: String(queuedPort),
  HOST: '127.0.0.1',
  // For its 'jobs queued' line: when the call's jobs reached Redis.
  LOG_LEVEL: 'debug',
});
const embeddedPort = await freePort();
const embedded = ManagedProcess.node(BIN.api, {
  PORT: String(embeddedPort),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
});
try {
  await Promise.all(workers.map((w) => w.waitForRecord((r) => r.msg === 'worker ready', 30_000)));
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const clients = {
    queued: new TestCalcClient(queuedPort),
    embedded: new TestCalcClient(embeddedPort),
  };
  for (const client of Object.values(clients)) {
    await client.nthPrimes([BigInt(N - 101)], { deadlineMs: 600_000 });
  }
  const rows: Record<string, number[]> = {};
  const push = (key: string, value: number): void => {
    if (Number.isNaN(value)) return;
    rows[key] = [...(rows[key] ?? []), value];
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const setup of round % 2 === 0 ? ['queued', 'embedded'] : ['embedded', 'queued']) {
      const n = BigInt(N - 1 - round * 2 - (setup === 'queued' ? 0 : 1));
      if (setup === 'embedded') {
        const started = performance.now();
        const cpu = await cpuDuring(embedded.pid!, () =>
          clients.embedded.nthPrimes([n], { deadlineMs: 600_000 }),
        );
        push('embedded wall s', (performance.now() - started) / 1000);
        push('embedded API main thread CPU s', cpu.main);
        push('embedded API compute threads CPU s', cpu.compute);
        push('embedded API other threads CPU s', cpu.other);
        continue;
      }
      const from = workers.map((w) => w.records.length);
      const apiFrom = queued.records.length;
      const redisBefore = await redisCpu(admin);
      const sentAt = Date.now();
      const started = performance.now();
      const workerCpu = workers.map((w) => ({ pid: w.pid!, before: threadCpu(w.pid!) }));
      const api = await cpuDuring(queued.pid!, () =>
        clients.queued.nthPrimes([n], { deadlineMs: 600_000 }),
      );
      const answeredAt = Date.now();
      push('queue wall s', (performance.now() - started) / 1000);
      push('queue API main thread CPU s', api.main);
      push('queue API other threads CPU s', api.compute + api.other);
      const spent = workerCpu.map(({ pid, before }) => cpuSince(pid, before));
      const sum = (part: 'main' | 'compute' | 'other'): number =>
        spent.reduce((total, cpu) => total + cpu[part], 0);
      const [workerMain, workerCompute, workerOther] = [sum('main'), sum('compute'), sum('other')];
      push('queue workers main threads CPU s (all workers)', workerMain);
      push('queue workers compute threads CPU s', workerCompute);
      push('queue workers other threads CPU s (GC, libuv)', workerOther);
      push('queue Redis CPU s', (await redisCpu(admin)) - redisBefore);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const timeline = jobTimeline(workers, from, sentAt, answeredAt);
      if (process.env.BREAKDOWN_TIMELINE === '1') printTimeline(workers, from, answeredAt);
      push('queue chunk jobs', timeline.jobs);
      push('queue chunk compute s (sum)', timeline.computeSeconds);
      const added = queued.records.slice(apiFrom).find((record) => record.msg === 'jobs queued');
      push('queue API planning ms', Number(added?.planMs));
      push('queue API adding the jobs to Redis ms', Number(added?.addMs));
      push(
        'queue call sent -> jobs added ms',
        added === undefined ? Number.NaN : time(added) - sentAt,
      );
      push('queue call sent -> first chunk computing ms', timeline.firstStartMs);
      push('queue one worker idle at the end ms (last chunks apart)', timeline.unevenEndMs);
      push('queue per-job gap ms (median: computed -> next started)', timeline.gapMs);
      push('queue per-job gap ms (largest)', timeline.maxGapMs);
      push('queue combine ms (on a worker thread)', timeline.combineMs);
      push('queue last chunk -> combine started ms', timeline.lastChunkToCombineMs);
      push('queue combine computed -> answer at client ms', timeline.combineToAnswerMs);
    }
    process.stderr.write(`round ${round + 1} of ${ROUNDS} done\n`);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `queue breakdown: node ${process.version}, ${os.availableParallelism()} x ${cpu}; n = ${N.toExponential()}, ${WORKERS} workers; medians of ${ROUNDS} rounds\n`,
  );
  for (const [key, values] of Object.entries(rows)) {
    console.log(`${key.padEnd(60)} ${median(values).toFixed(3).padStart(9)}`);
  }
  for (const client of Object.values(clients)) client.close();
} finally {
  await Promise.all([...workers, queued, embedded].map((p) => p.stop()));
  admin.disconnect();
  await redis.close();
}
