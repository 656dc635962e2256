// `npm run bench` in packages/calc: the nth prime on one thread against primecount 8 (the binary
// named by PRIMECOUNT, else `primecount` on PATH), CPU seconds of both, interleaved round by
// round. For n = 10^12, 10^13 and 10^14: the first call in a fresh process (after the warm-up a
// compute thread runs at start) and warm calls after it, medians, and the floors of
// docs/benchmarks.md (warm <= 3x primecount, first call <= 3.5x, at 10^13 and 10^14). Then 10^15
// and 10^16 once each with the process's peak memory (floor: 1 GiB), and the plan for two
// workers run chunk by chunk against the direct call. Every answer is checked against the
// published p(10^k). BENCH_ROUNDS (default 3) sets the rounds; BENCH_LARGE=0 skips 10^15 and 10^16.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

interface First {
  readonly prime: string;
  readonly warmUpMs: number;
  readonly first: number;
  readonly warm: readonly number[];
  readonly peakMiB: number;
}

interface Chunked {
  readonly chunks: number;
  readonly direct: number;
  readonly chunked: number;
  readonly chunkSeconds: readonly number[];
}

/** p(10^k), OEIS A006988. */
const PUBLISHED: Record<number, string> = {
  12: '29996224275833',
  13: '323780508946331',
  14: '3475385758524527',
  15: '37124508045065437',
  16: '394906913903735329',
};
const FLOORS: Record<number, { warm: number; first: number }> = {
  13: { warm: 3, first: 3.5 },
  14: { warm: 3, first: 3.5 },
};
const MEMORY_FLOOR_MIB = 1024;

const child = fileURLToPath(new URL('./nth-prime-child.ts', import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? '3');
const failures: string[] = [];

function runChild<T>(args: readonly string[]): T {
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (result.status !== 0) throw new Error(`nth-prime-child ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

const primecountBinary = process.env.PRIMECOUNT ?? 'primecount';

/** primecount's version line, or null when it cannot be run. */
function primecountVersion(): string | null {
  const result = spawnSync(primecountBinary, ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  return result.stdout.split('\n')[0]?.trim() ?? null;
}

/**
 * primecount --nth-prime n on one thread: its answer and CPU seconds (user + system of the
 * child, from the shell's `times`), or null when it is not installed.
 */
function primecount(exponent: number): { prime: string; seconds: number } | null {
  const result = spawnSync(
    'sh',
    ['-c', '"$0" "$@"; times', primecountBinary, '--nth-prime', `1e${exponent}`, '-t1'],
    { encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) return null;
  const lines = result.stdout.trim().split('\n');
  const times = [...(lines[lines.length - 1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)];
  const seconds = times.reduce((sum, m) => sum + 60 * Number(m[1]) + Number(m[2]), 0);
  return { prime: lines[0]!.trim(), seconds };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function check(ok: boolean, what: string): string {
  if (!ok) failures.push(what);
  return ok ? 'ok' : 'MISSED';
}

function checkAnswer(exponent: number, prime: string, who: string): void {
  if (prime !== PUBLISHED[exponent]) {
    failures.push(`${who} p(1e${exponent}) = ${prime}, published ${PUBLISHED[exponent]}`);
  }
}

const version = primecountVersion();
const major = Number(/primecount (\d+)/.exec(version ?? '')?.[1] ?? 0);
console.log(
  `nth prime on one thread: node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
);
console.log(`against ${version ?? 'no primecount (set PRIMECOUNT or put primecount on PATH)'}`);
if (version !== null && major < 8) console.log('(the floors are set against primecount 8)');
console.log(
  `CPU seconds (ours: the computing thread's), medians of ${rounds} interleaved rounds; "first" is the first call in a fresh process after warmUpNthPrime, "warm" the ${2 * rounds} calls after it\n`,
);
console.log(
  `${'n'.padStart(5)} ${'p(n)'.padStart(18)} ${'primecount'.padStart(10)} ${'first'.padStart(7)} ${'warm'.padStart(7)} ${'best'.padStart(7)} ${'first/pc'.padStart(8)} ${'warm/pc'.padStart(8)} ${'warm-up ms'.padStart(10)}  floors`,
);
for (const exponent of [12, 13, 14]) {
  const theirs: number[] = [];
  const firsts: number[] = [];
  const warms: number[] = [];
  const warmUps: number[] = [];
  let prime = '';
  for (let round = 0; round < rounds; round++) {
    const pc = primecount(exponent);
    if (pc !== null) {
      checkAnswer(exponent, pc.prime, 'primecount');
      theirs.push(pc.seconds);
    }
    const ours = runChild<First>(['first', `1${'0'.repeat(exponent)}`, '2']);
    checkAnswer(exponent, ours.prime, 'ours');
    prime = ours.prime;
    firsts.push(ours.first);
    warms.push(...ours.warm);
    warmUps.push(ours.warmUpMs);
  }
  const pc = theirs.length > 0 ? median(theirs) : null;
  const first = median(firsts);
  const warm = median(warms);
  const floor = FLOORS[exponent];
  let floors = '';
  if (floor !== undefined && pc !== null && major >= 8) {
    floors = `warm ${check(warm / pc <= floor.warm, `1e${exponent} warm`)} (<= ${floor.warm}x), first ${check(first / pc <= floor.first, `1e${exponent} first`)} (<= ${floor.first}x)`;
  }
  const ratio = (ours: number): string => (pc === null ? 'n/a' : (ours / pc).toFixed(2));
  console.log(
    `${`1e${exponent}`.padStart(5)} ${prime.padStart(18)} ${(pc?.toFixed(3) ?? 'n/a').padStart(10)} ${first.toFixed(3).padStart(7)} ${warm.toFixed(3).padStart(7)} ${Math.min(
      ...warms,
    )
      .toFixed(3)
      .padStart(
        7,
      )} ${ratio(first).padStart(8)} ${ratio(warm).padStart(8)} ${median(warmUps).toFixed(0).padStart(10)}  ${floors}`,
  );
}

if (process.env.BENCH_LARGE !== '0') {
  console.log('\none call each in a fresh process (after the warm-up), with its peak memory\n');
  console.log(
    `${'n'.padStart(5)} ${'p(n)'.padStart(18)} ${'primecount'.padStart(10)} ${'ours'.padStart(8)} ${'ratio'.padStart(6)} ${'peak MiB'.padStart(9)}  floor`,
  );
  for (const exponent of [15, 16]) {
    const pc = primecount(exponent);
    if (pc !== null) checkAnswer(exponent, pc.prime, 'primecount');
    const ours = runChild<First>(['first', `1${'0'.repeat(exponent)}`, '0']);
    checkAnswer(exponent, ours.prime, 'ours');
    const memory =
      exponent === 16
        ? `memory ${check(ours.peakMiB <= MEMORY_FLOOR_MIB, 'peak memory')} (<= ${MEMORY_FLOOR_MIB} MiB)`
        : '';
    console.log(
      `${`1e${exponent}`.padStart(5)} ${ours.prime.padStart(18)} ${(pc?.seconds.toFixed(2) ?? 'n/a').padStart(10)} ${ours.first.toFixed(2).padStart(8)} ${(pc === null ? 'n/a' : (ours.first / pc.seconds).toFixed(2)).padStart(6)} ${ours.peakMiB.toFixed(0).padStart(9)}  ${memory}`,
    );
  }
}

console.log('\nthe plan for 2 workers run chunk by chunk, against the direct call (medians)\n');
console.log(
  `${'n'.padStart(5)} ${'chunks'.padStart(6)} ${'direct s'.padStart(9)} ${'chunks s'.padStart(9)} ${'sum/direct'.padStart(10)} ${'min s'.padStart(6)} ${'median s'.padStart(8)} ${'max s'.padStart(6)}  floors`,
);
for (const exponent of [13, 14]) {
  const result = runChild<Chunked>(['chunks', `1${'0'.repeat(exponent)}`, '2', String(rounds)]);
  const sorted = [...result.chunkSeconds].sort((a, b) => a - b);
  const middle = median(sorted);
  const largest = sorted[sorted.length - 1]!;
  const ratio = result.chunked / result.direct;
  console.log(
    `${`1e${exponent}`.padStart(5)} ${String(result.chunks).padStart(6)} ${result.direct.toFixed(3).padStart(9)} ${result.chunked.toFixed(3).padStart(9)} ${ratio.toFixed(3).padStart(10)} ${sorted[0]!.toFixed(2).padStart(6)} ${middle.toFixed(2).padStart(8)} ${largest.toFixed(2).padStart(6)}  sum ${check(ratio <= 1.1, `1e${exponent} chunk sum`)} (<= 1.10), largest ${check(largest <= 2 * middle, `1e${exponent} balance`)} (<= 2x median)`,
  );
}
if (failures.length > 0) {
  console.log(`\nmissed: ${failures.join('; ')}`);
  process.exitCode = 1;
}
