// `npm run bench:server`: requests per second and p50/p99 latency of Add and
// NthPrimes([9999, 1234, 1, 2, 3, 4]) at 32 concurrent calls over loopback,
// for the request actor and for a plain handler, and their ratio. The load
// comes from raw HTTP/2 gRPC calls (raw-grpc-client.ts), cheap enough that the
// server is the bottleneck; every answer is checked.
import { type ChildProcess, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AddRequest, AddResponse, NthPrimesRequest, NthPrimesResponse } from '@twelvefa/proto';
import { type PreparedCall, prepareCall, RawGrpcClient } from './raw-grpc-client.js';

const CONCURRENCY = 32;
const secondsArg = process.argv.indexOf('--seconds');
const MEASURE_MS = 1000 * (secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5);
const WARMUP_MS = 1000;
const README_NS = [9999n, 1234n, 1n, 2n, 3n, 4n];

type Variant = 'actor' | 'empty-actor' | 'plain';
const VARIANTS: readonly Variant[] = ['actor', 'empty-actor', 'plain'];
type Scenario = 'Add' | 'NthPrimes';

interface Figures {
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Server CPU time (user + system) per request, in microseconds. */
  readonly cpuPerRequest: number;
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

async function load(
  client: RawGrpcClient,
  scenario: Scenario,
  durationMs: number,
): Promise<Omit<Figures, 'cpuPerRequest'>> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + durationMs;
  const caller = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const ok = await call(client, scenario);
      latencies.push(performance.now() - t0);
      if (!ok) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, caller));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

function startServer(variant: Variant): Promise<{ child: ChildProcess; port: number }> {
  const file = fileURLToPath(new URL('./bench-server.js', import.meta.url));
  const child = fork(file, [variant], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => {
      const port = (message as { port?: unknown }).port;
      if (typeof port === 'number') resolve({ child, port });
      else reject(new Error(`bench server sent ${JSON.stringify(message)}`));
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** CPU microseconds the server process has used so far. */
function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve((message as { cpuMicros: number }).cpuMicros));
    child.send('cpu');
  });
}

async function measure(variant: Variant): Promise<Record<Scenario, Figures>> {
  const { child, port } = await startServer(variant);
  const client = new RawGrpcClient(`127.0.0.1:${port}`);
  const results = {} as Record<Scenario, Figures>;
  try {
    for (const scenario of ['Add', 'NthPrimes'] as const) {
      await load(client, scenario, WARMUP_MS);
      const cpuBefore = await serverCpu(child);
      const figures = await load(client, scenario, MEASURE_MS);
      const cpu = (await serverCpu(child)) - cpuBefore;
      results[scenario] = { ...figures, cpuPerRequest: cpu / figures.requests };
    }
  } finally {
    client.close();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return results;
}

const fmt = (value: number, digits = 2): string => value.toFixed(digits);

console.log(
  `server bench: ${CONCURRENCY} concurrent calls, ${MEASURE_MS / 1000} s per scenario after ${WARMUP_MS / 1000} s warm-up, loopback`,
);
console.log(
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
);
// Two rounds, alternating, so that neither variant alone meets a busy moment of the machine.
const rounds: Record<Variant, Record<Scenario, Figures>[]> = {
  actor: [],
  'empty-actor': [],
  plain: [],
};
for (let round = 0; round < 2; round++) {
  for (const variant of VARIANTS) rounds[variant].push(await measure(variant));
}
function mean(runs: readonly Record<Scenario, Figures>[], scenario: Scenario): Figures {
  const pick = (key: keyof Figures): number =>
    runs.reduce((sum, run) => sum + run[scenario][key], 0) / runs.length;
  return {
    requests: Math.round(pick('requests')),
    rps: pick('rps'),
    p50: pick('p50'),
    p99: pick('p99'),
    errors: Math.round(pick('errors')),
    cpuPerRequest: pick('cpuPerRequest'),
  };
}
const figures = Object.fromEntries(
  VARIANTS.map((variant) => [
    variant,
    { Add: mean(rounds[variant], 'Add'), NthPrimes: mean(rounds[variant], 'NthPrimes') },
  ]),
) as Record<Variant, Record<Scenario, Figures>>;
console.log('');
console.log(
  '(mean of 2 alternating rounds per handler; empty-actor = plain + one empty xstate actor per call)',
);
console.log(
  '| handler | call | requests | req/s | p50 ms | p99 ms | server CPU µs/request | errors |',
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const variant of VARIANTS) {
  for (const scenario of ['Add', 'NthPrimes'] as const) {
    const f = figures[variant][scenario];
    const name = scenario === 'Add' ? 'Add(2, 5)' : 'NthPrimes([9999, 1234, 1, 2, 3, 4])';
    console.log(
      `| ${variant} | ${name} | ${f.requests} | ${fmt(f.rps, 0)} | ${fmt(f.p50)} | ${fmt(f.p99)} | ${fmt(f.cpuPerRequest, 0)} | ${f.errors} |`,
    );
  }
}
console.log('');
let belowFloor = false;
for (const scenario of ['Add', 'NthPrimes'] as const) {
  const ratio = figures.actor[scenario].rps / figures.plain[scenario].rps;
  const control = figures['empty-actor'][scenario].rps / figures.plain[scenario].rps;
  if (ratio < 0.8) belowFloor = true;
  console.log(
    `${scenario}: actor/plain throughput = ${fmt(100 * ratio, 1)}% (floor 80%); an empty xstate actor alone: ${fmt(100 * control, 1)}%`,
  );
}
if (belowFloor) process.exitCode = 1;
