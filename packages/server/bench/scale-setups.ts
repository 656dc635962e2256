// What `npm run bench:scale` measures: the service in each mode as real processes, a direct
// one-thread nthPrime, and primecount. Each set-up reports the seconds a batch took.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, ManagedProcess, type TestRedis } from '@twelvefa/test-support';
import { BIN } from '../test/helpers/bins.js';
import { TestCalcClient } from '../test/helpers/calc-client.js';

/** Something that computes a batch of n and reports the seconds it took. */
export interface Setup {
  readonly name: string;
  run(ns: readonly number[]): Promise<number>;
  close(): Promise<void>;
}

/** A set-up that can also be measured from a fresh start. */
export interface FreshSetup extends Setup {
  /**
   * Starts a fresh copy of the set-up (new processes, nothing computed yet), makes one call on
   * `ns` as soon as it reports ready, stops it, and returns that call's seconds.
   */
  firstCall(ns: readonly number[]): Promise<number>;
}

/** Run by every set-up after its first call: a few seconds at each size, n no round uses. */
const WARM_UP = [3e13 + 11, 1e13 + 11, 1e12 + 11, 1e12 + 12];

/** A worker on `redis` serving `shared`'s queue, one job at a time; resolves once it consumes. */
export async function startWorker(shared: Record<string, string>): Promise<ManagedProcess> {
  const worker = ManagedProcess.node(BIN.worker, {
    ...shared,
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    JOB_KEEP_COMPLETED: '0',
  });
  await worker.waitForRecord((line) => line.msg === 'worker ready', 30_000);
  return worker;
}

/** The environment that puts an API and its workers on one queue of `redis`. */
export function queueEnvironment(label: string, redis: TestRedis): Record<string, string> {
  const queue = `scale-${label.replace(/\W+/g, '-')}-${process.pid}`;
  return { REDIS_URL: redis.url, QUEUE_PREFIX: 'twelvefa-bench', QUEUE_NAME: queue };
}

/** An API on `shared` (embedded when it names no Redis), ready: its runner reported ready. */
export async function startApi(
  shared: Record<string, string>,
): Promise<{ api: ManagedProcess; client: TestCalcClient }> {
  const port = await freePort();
  const api = ManagedProcess.node(BIN.api, { ...shared, PORT: String(port), HOST: '127.0.0.1' });
  await api.waitForRecord((line) => line.msg === 'job runner' && line.ready === true, 30_000);
  return { api, client: new TestCalcClient(port) };
}

/** Calls NthPrimes and returns its seconds; throws on any status but OK. */
export async function timedCall(
  client: TestCalcClient,
  ns: readonly number[],
  name: string,
): Promise<number> {
  const started = performance.now();
  const result = await client.nthPrimes(ns.map(BigInt), { deadlineMs: 600_000 });
  if (!result.ok) throw new Error(`${name}: ${result.code} ${result.details}`);
  return (performance.now() - started) / 1000;
}

/** Fresh copies started so far, for their queue names. */
let freshCopies = 0;

/** An API and `workers` workers (the embedded default without Redis), each reported ready. */
async function startService(
  name: string,
  workers: number,
  redis: TestRedis | undefined,
): Promise<{ client: TestCalcClient; stop(): Promise<void> }> {
  const shared = redis === undefined ? {} : queueEnvironment(name, redis);
  const processes = await Promise.all(Array.from({ length: workers }, () => startWorker(shared)));
  const { api, client } = await startApi(shared);
  processes.push(api);
  return {
    client,
    async stop() {
      client.close();
      await Promise.all(processes.map((process) => process.stop()));
    },
  };
}

/**
 * An API (and `workers` workers, with Redis) answering NthPrimes over real gRPC, warmed by a few
 * calls as a service that has been serving for a while is.
 */
export async function serviceSetup(
  name: string,
  workers: number,
  redis: TestRedis | undefined,
): Promise<FreshSetup> {
  const service = await startService(name, workers, redis);
  for (const n of WARM_UP) await timedCall(service.client, [n], name);
  return {
    name,
    run: (ns) => timedCall(service.client, ns, name),
    async firstCall(ns) {
      // A queue of its own, so nothing an earlier copy computed or kept answers it.
      freshCopies += 1;
      const fresh = await startService(`${name} fresh ${freshCopies}`, workers, redis);
      try {
        return await timedCall(fresh.client, ns, name);
      } finally {
        await fresh.stop();
      }
    },
    close: () => service.stop(),
  };
}

/** nthPrime on the main thread of a fresh child process, one n per line of its stdin. */
function startDirect(): { compute(n: number): Promise<number>; stop(): Promise<void> } {
  const file = fileURLToPath(new URL('./direct-nth-prime.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async compute(n) {
      child.stdin.write(`${n}\n`);
      const next = await lines.next();
      return (JSON.parse(String(next.value)) as { seconds: number }).seconds;
    },
    async stop() {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** The direct one-thread nthPrime: warm in one long-lived process, first calls in fresh ones. */
export async function directSetup(name: string): Promise<FreshSetup> {
  const direct = startDirect();
  for (const n of WARM_UP) await direct.compute(n);
  const sum = async (process: ReturnType<typeof startDirect>, ns: readonly number[]) => {
    let seconds = 0;
    for (const n of ns) seconds += await process.compute(n);
    return seconds;
  };
  return {
    name,
    run: (ns) => sum(direct, ns),
    async firstCall(ns) {
      const fresh = startDirect();
      try {
        return await sum(fresh, ns);
      } finally {
        await fresh.stop();
      }
    },
    close: () => direct.stop(),
  };
}

/** The primecount binary: PRIMECOUNT, else `primecount` on PATH; null when neither runs. */
export function primecountBinary(): { path: string; version: string } | null {
  const path = process.env.PRIMECOUNT ?? 'primecount';
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  return { path, version: probe.stdout.split('\n')[0]?.trim() ?? '' };
}

/** primecount's own timing of --nth-prime with `threads` threads. */
export function primecountSetup(path: string, threads: number): Setup {
  return {
    name: `primecount -t${threads}`,
    async run(ns) {
      let seconds = 0;
      for (const n of ns) {
        const result = spawnSync(path, ['--nth-prime', String(n), `-t${threads}`, '--time'], {
          encoding: 'utf8',
        });
        seconds += Number(result.stdout.trim().split('\n')[1]?.replace('Seconds:', '').trim());
      }
      return seconds;
    },
    close: async () => undefined,
  };
}
