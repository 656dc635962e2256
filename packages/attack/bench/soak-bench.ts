// npm run bench:soak -w @twelvefa/attack: mixed calls against a fresh embedded API for
// SOAK_SECONDS (default 600) after a 30 s warm-up; prints RSS growth, exits 1 above 10%.

import { startApi } from '../src/service.js';
import { formatSoakReport, soak } from '../src/soak.js';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const api = await startApi();
try {
  const pid = api.process.pid;
  if (pid === undefined) throw new Error('the API has no pid');
  const report = await soak(`127.0.0.1:${api.port}`, pid, {
    warmupMs: 30_000,
    durationMs: seconds * 1000,
    concurrency: 16,
  });
  console.log(formatSoakReport(report, seconds));
  process.exitCode = report.failures > 0 || report.growth >= 0.1 ? 1 : 0;
} finally {
  await api.process.stop();
}
