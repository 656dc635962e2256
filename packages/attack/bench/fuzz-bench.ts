// npm run bench:fuzz -w @twelvefa/attack: 10^5 fuzzed requests against a fresh embedded API.
// FUZZ_COUNT and FUZZ_SEED override the count and the seed. Exits 1 if the contract broke.
import { formatFuzzReport, fuzz } from '../src/fuzz-run.js';
import { startApi } from '../src/service.js';

const limits = { maxN: 10_000_000, maxBatch: 20 };
const count = Number(process.env.FUZZ_COUNT ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

const api = await startApi({ MAX_N: String(limits.maxN), MAX_BATCH: String(limits.maxBatch) });
try {
  const report = await fuzz(`127.0.0.1:${api.port}`, {
    count,
    seed,
    limits,
    concurrency: 32,
    sessions: 4,
  });
  console.log(formatFuzzReport(report, seed));
  const broken = report.wrongCount > 0 || !api.process.running;
  console.log(broken ? 'fuzz: FAILED' : 'fuzz: contract held, server alive');
  process.exitCode = broken ? 1 : 0;
} finally {
  await api.process.stop();
}
