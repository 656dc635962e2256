// `npm run bench:fairness`: how the workers are shared between two clients when one sends ten
// times the requests of the other. Starts a private Redis, two workers (WORKER_CONCURRENCY=1)
// and the API with two API keys, as real processes. Client "modest" keeps as many heavy calls
// in flight as there are workers (FAIRNESS_MODEST_IN_FLIGHT, default 2), enough to keep every
// worker busy alone, and client "greedy" ten times as many; each call is a fresh n near
// 2 * 10^11 (about 0.15 s of one core, never split, never cached). Two kinds of phase take
// turns, FAIRNESS_ROUNDS times each:
//   - one identity: both send with greedy's key, so the API cannot tell them apart and serves
//     their calls first come, first served (what every client got before fair sharing);
//   - two clients: each with its own key, so the API queues each client's work behind its own.
// Printed per phase: calls answered, estimated CPU seconds of work answered and its share, and
// the median latency, per client. Floor: with two clients, each gets 35-65% of the work (the
// median over the rounds); exit 1 if not.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { estimateNthPrimeSeconds } from '@twelvefa/calc';
import { freePort, ManagedProcess, startTestRedis } from '@twelvefa/test-support';
import { generateApiKey, hashApiKey } from '../src/access/api-keys.js';
import { checkHealth } from '../src/health-probe/health-check.js';
import { BIN } from '../test/helpers/bins.js';
import { TestCalcClient } from '../test/helpers/calc-client.js';
import { startWorker } from '../test/helpers/queue-fixture.js';

const ROUNDS = Number(process.env.FAIRNESS_ROUNDS ?? '2');
const PHASE_SECONDS = Number(process.env.FAIRNESS_PHASE_SECONDS ?? '15');
const WORKERS = 2;
const MODEST_IN_FLIGHT = Number(process.env.FAIRNESS_MODEST_IN_FLIGHT ?? String(WORKERS));
const GREEDY_IN_FLIGHT = 10 * MODEST_IN_FLIGHT;
/** Each client's share of the work with two clients, at least this and at most 1 - this. */
const FLOOR_SHARE = 0.35;

interface Tally {
  answered: number;
  seconds: number;
  latencies: number[];
}

/** The middle value, or the mean of the two middle ones (two rounds give their mean). */
function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

let nextN = 200_000_000_000;
/** A fresh n each call (odd steps apart), so nothing is answered from a cache. */
function freshN(): number {
  nextN += 7919;
  return nextN;
}

/** `inFlight` loops calling NthPrimes with fresh n until `until`; resolves once all settled. */
async function load(client: TestCalcClient, inFlight: number, until: number): Promise<Tally> {
  const tally: Tally = { answered: 0, seconds: 0, latencies: [] };
  const loop = async (): Promise<void> => {
    while (Date.now() < until) {
      const n = freshN();
      const started = performance.now();
      const result = await client.nthPrimes([BigInt(n)]);
      if (!result.ok) throw new Error(`n = ${n}: ${result.code} ${result.details}`);
      tally.answered += 1;
      tally.seconds += estimateNthPrimeSeconds(n);
      tally.latencies.push((performance.now() - started) / 1000);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  return tally;
}

const dir = mkdtempSync(join(os.tmpdir(), 'twelvefa-fairness-'));
const greedyKey = generateApiKey();
const modestKey = generateApiKey();
const keysFile = join(dir, 'keys.json');
writeFileSync(
  keysFile,
  JSON.stringify({
    keys: [
      { client: 'greedy', sha256: hashApiKey(greedyKey) },
      { client: 'modest', sha256: hashApiKey(modestKey) },
    ],
  }),
);

const redis = await startTestRedis();
const shared = {
  REDIS_URL: redis.url,
  QUEUE_PREFIX: 'twelvefa-bench',
  QUEUE_NAME: `fairness-${process.pid}`,
};
const processes: ManagedProcess[] = [];
for (let i = 0; i < WORKERS; i++) {
  processes.push(
    await startWorker(redis.url, shared.QUEUE_NAME, { ...shared, WORKER_CONCURRENCY: '1' }),
  );
}
const port = await freePort();
processes.push(
  ManagedProcess.node(BIN.api, {
    ...shared,
    PORT: String(port),
    HOST: '127.0.0.1',
    AUTH_KEYS_FILE: keysFile,
    // Not a line per request: the API's CPU goes to the calls.
    LOG_LEVEL: 'warn',
  }),
);
const greedy = new TestCalcClient(port, greedyKey);
const modest = new TestCalcClient(port, modestKey);
const modestAsGreedy = new TestCalcClient(port, greedyKey);

interface PhaseResult {
  readonly phase: string;
  readonly greedy: Tally;
  readonly modest: Tally;
}

try {
  for (;;) {
    const health = await checkHealth(`127.0.0.1:${port}`).catch(() => 'DOWN');
    if (health === 'SERVING') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Warm-up: every thread's tables, and the planner's worker count.
  await load(greedy, WORKERS * 2, Date.now() + 3000);

  const results: PhaseResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const phase of ['one identity', 'two clients']) {
      const until = Date.now() + PHASE_SECONDS * 1000;
      const [greedyTally, modestTally] = await Promise.all([
        load(greedy, GREEDY_IN_FLIGHT, until),
        load(phase === 'two clients' ? modest : modestAsGreedy, MODEST_IN_FLIGHT, until),
      ]);
      results.push({ phase, greedy: greedyTally, modest: modestTally });
    }
  }

  process.stdout.write(
    `fairness bench: ${WORKERS} workers, greedy keeps ${GREEDY_IN_FLIGHT} calls in flight, modest ${MODEST_IN_FLIGHT}; ${ROUNDS} rounds of ${PHASE_SECONDS} s per phase\n`,
  );
  process.stdout.write(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}\n`,
  );
  process.stdout.write(
    '| round | phase | client | answered | est. CPU s answered | share of work | p50 latency s |\n| ---: | --- | --- | ---: | ---: | ---: | ---: |\n',
  );
  const modestShares = new Map<string, number[]>();
  results.forEach((result, index) => {
    const total = result.greedy.seconds + result.modest.seconds;
    for (const [name, tally] of [
      ['greedy', result.greedy],
      ['modest', result.modest],
    ] as const) {
      const share = tally.seconds / total;
      if (name === 'modest') {
        modestShares.set(result.phase, [...(modestShares.get(result.phase) ?? []), share]);
      }
      process.stdout.write(
        `| ${Math.floor(index / 2) + 1} | ${result.phase} | ${name} | ${tally.answered} | ${tally.seconds.toFixed(1)} | ${(share * 100).toFixed(1)}% | ${median(tally.latencies).toFixed(2)} |\n`,
      );
    }
  });
  const fairShare = median(modestShares.get('two clients') ?? []);
  const fifoShare = median(modestShares.get('one identity') ?? []);
  process.stdout.write(
    `\nmodest's share of the work: ${(fifoShare * 100).toFixed(1)}% first come, first served; ${(fairShare * 100).toFixed(1)}% as its own client (floor: ${FLOOR_SHARE * 100}-${100 - FLOOR_SHARE * 100}% for each client)\n`,
  );
  if (!(fairShare >= FLOOR_SHARE && fairShare <= 1 - FLOOR_SHARE)) process.exitCode = 1;
} finally {
  for (const client of [greedy, modest, modestAsGreedy]) client.close();
  await Promise.all(processes.map((child) => child.stop()));
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
}
