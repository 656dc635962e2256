// `npm run bench:server`: requests per second and p50/p99 latency of Add and
// NthPrimes([9999, 1234, 1, 2, 3, 4]) at 32 concurrent calls over loopback,
// for the request actor and for a plain handler, and their ratio. The load
// comes from raw HTTP/2 gRPC calls (RawGrpcClient in @twelvefa/test-support), cheap enough that the
// server is the bottleneck; every answer is checked.
//
// The three servers run side by side and take turns in short slices, so a
// machine whose speed drifts (a shared VM does, by tens of percent over
// minutes) slows every handler alike and the ratios stay comparable.
import { type ChildProcess, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AddRequest, AddResponse, NthPrimesRequest, NthPrimesResponse } from '@twelvefa/proto';
import { type PreparedCall, prepareCall, RawGrpcClient } from '@twelvefa/test-support';

const CONCURRENCY = 32;
const secondsArg = process.argv.indexOf('--seconds');
/** Measured time per handler and call, split into slices. */
const MEASURE_MS = 1000 * (secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 10);
const SLICE_MS = 500;
/** Load per handler and call before any is measured: JIT and heap sizing settle first. */
const WARMUP_MS = 2000;
const README_NS = [9999n, 1234n, 1n, 2n, 3n, 4n];

type Variant = 'actor' | 'empty-actor' | 'plain';
const VARIANTS: readonly Variant[] = ['actor', 'empty-actor', 'plain'];
type Scenario = 'Add' | 'NthPrimes';
const SCENARIOS: readonly Scenario[] = ['Add', 'NthPrimes'];

interface Figures {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Server CPU time (user + system, all threads) per request, in microseconds. */
  readonly cpuPerRequest: number;
}

/** What one handler has done so far in a scenario. */
interface Tally {
  readonly latencies: number[];
  errors: number;
  elapsedMs: number;
  cpuMicros: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const CALLS: Record<Scenario, PreparedCall> = {
  Add: prepareCall('/calc.Calc/Add', AddRequest.encode({ a: 2n, b: 5n }).finish()),
  NthPrimes: prepareCall(
    '/calc.Calc/NthPrimes',
    NthPrimesRequest.encode({ n: README_NS }).finish(),
  ),
};

/** The answers every call must get; a wrong one counts as an error. */
function isRight(scenario: Scenario, response: Buffer): boolean {
  if (scenario === 'Add') return AddResponse.decode(response).sum === 7n;
  return NthPrimesResponse.decode(response).nthPrimes.join(' ') === '104723 10061 2 3 5 7';
}

function call(client: RawGrpcClient, scenario: Scenario): Promise<boolean> {
  return client.call(CALLS[scenario]).then(
    (response) => isRight(scenario, response),
    () => false,
  );
}

/** CONCURRENCY callers in a loop for durationMs, recorded into tally. */
async function load(
  client: RawGrpcClient,
  scenario: Scenario,
  durationMs: number,
  tally: Tally,
): Promise<void> {
  const started = performance.now();
  const end = started + durationMs;
  const caller = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const ok = await call(client, scenario);
      tally.latencies.push(performance.now() - t0);
      if (!ok) tally.errors += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, caller));
  tally.elapsedMs += performance.now() - started;
}

/** A benchmark server process and a client connected to it. */
interface BenchServer {
  readonly variant: Variant;
  readonly child: ChildProcess;
  readonly client: RawGrpcClient;
}

function startServer(variant: Variant): Promise<BenchServer> {
  const file = fileURLToPath(new URL('./bench-server.ts', import.meta.url));
  const child = fork(file, [variant], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      const port = (message as { port?: unknown }).port;
      if (typeof port === 'number') {
        resolve({ variant, child, client: new RawGrpcClient(`127.0.0.1:${port}`) });
      } else {
        reject(new Error(`bench server sent ${JSON.stringify(message)}`));
      }
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

async function stopServer(server: BenchServer): Promise<void> {
  server.client.close();
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.send('stop');
  await exited;
}

/** CPU microseconds the server process has used so far. */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve((message as { cpuMicros: number }).cpuMicros));
    child.send('cpu');
  });
}

const emptyTally = (): Tally => ({ latencies: [], errors: 0, elapsedMs: 0, cpuMicros: 0 });

/**
 * Every handler with every call before anything is measured: warming only the call about to be
 * measured left the first one measured a few µs per call dearer than the same call measured
 * second, for the actor more than for the plain handler.
 */
async function warmUp(servers: readonly BenchServer[]): Promise<void> {
  for (const scenario of SCENARIOS) {
    for (const server of servers) await load(server.client, scenario, WARMUP_MS, emptyTally());
  }
}

/** Every handler in turn, a slice each, the first in the turn rotating. */
async function measure(
  servers: readonly BenchServer[],
  scenario: Scenario,
): Promise<Map<Variant, Figures>> {
  const tallies = new Map(servers.map((server) => [server, emptyTally()]));
  const turns = Math.max(1, Math.round(MEASURE_MS / SLICE_MS));
  for (let turn = 0; turn < turns; turn++) {
    for (let index = 0; index < servers.length; index++) {
      const server = servers[(turn + index) % servers.length] as BenchServer;
      const tally = tallies.get(server) as Tally;
      const cpuBefore = await serverCpu(server.child);
      await load(server.client, scenario, SLICE_MS, tally);
      tally.cpuMicros += (await serverCpu(server.child)) - cpuBefore;
    }
  }
  const figures = new Map<Variant, Figures>();
  for (const [server, tally] of tallies) {
    const sorted = tally.latencies.sort((a, b) => a - b);
    figures.set(server.variant, {
      requests: sorted.length,
      rps: sorted.length / (tally.elapsedMs / 1000),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      errors: tally.errors,
      cpuPerRequest: tally.cpuMicros / sorted.length,
    });
  }
  return figures;
}

const fmt = (value: number, digits = 2): string => value.toFixed(digits);

console.log(
  `server bench: ${CONCURRENCY} concurrent calls, ${MEASURE_MS / 1000} s per handler and call in ${SLICE_MS} ms turns after ${WARMUP_MS / 1000} s of each for warm-up, loopback`,
);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
);
const servers = await Promise.all(VARIANTS.map(startServer));
const figures = new Map<Scenario, Map<Variant, Figures>>();
try {
  await warmUp(servers);
  for (const scenario of SCENARIOS) figures.set(scenario, await measure(servers, scenario));
} finally {
  await Promise.all(servers.map(stopServer));
}
const of = (scenario: Scenario, variant: Variant): Figures =>
  figures.get(scenario)?.get(variant) as Figures;

console.log('');
console.log('(empty-actor = plain + one empty xstate actor per call)');
console.log(
  '| handler | call | requests | req/s | p50 ms | p99 ms | server CPU µs/request | errors |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const variant of VARIANTS) {
  for (const scenario of SCENARIOS) {
    const f = of(scenario, variant);
    const name = scenario === 'Add' ? 'Add(2, 5)' : 'NthPrimes([9999, 1234, 1, 2, 3, 4])';
    console.log(
      `| ${variant} | ${name} | ${f.requests} | ${fmt(f.rps, 0)} | ${fmt(f.p50)} | ${fmt(f.p99)} | ${fmt(f.cpuPerRequest, 0)} | ${f.errors} |`,
    );
  }
}
console.log('');
// The floor: the request actor adds at most 30 µs of server CPU per call over the plain handler.
const MAX_ACTOR_CPU_US = 30;
let belowFloor = false;
for (const scenario of SCENARIOS) {
  const plain = of(scenario, 'plain');
  const actor = of(scenario, 'actor');
  const added = actor.cpuPerRequest - plain.cpuPerRequest;
  const ratio = actor.rps / plain.rps;
  const control = of(scenario, 'empty-actor').rps / plain.rps;
  if (added > MAX_ACTOR_CPU_US) belowFloor = true;
  console.log(
    `${scenario}: the actor adds ${fmt(added, 0)} µs of server CPU per call (floor: at most ${MAX_ACTOR_CPU_US}); actor/plain throughput = ${fmt(100 * ratio, 1)}%; an empty xstate actor alone: ${fmt(100 * control, 1)}%`,
  );
}
if (belowFloor) process.exitCode = 1;
