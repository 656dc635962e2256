import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Api, startApi } from '../src/service.js';
import { formatSoakReport, soak } from '../src/soak.js';

const SECONDS = 20;

describe(`a ${SECONDS} s soak of mixed calls (npm run bench:soak -w @twelvefa/attack runs 10 minutes)`, () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.process.stop();
  });

  it('answers every call as expected and grows the server RSS less than 10% after warm-up', async () => {
    const pid = api.process.pid;
    if (pid === undefined) throw new Error('the API has no pid');
    const report = await soak(`127.0.0.1:${api.port}`, pid, {
      warmupMs: 8000,
      durationMs: SECONDS * 1000,
      concurrency: 16,
    });
    console.log(formatSoakReport(report, SECONDS));
    expect(report.failures).toBe(0);
    expect(report.calls).toBeGreaterThan(SECONDS * 200);
    expect(report.growth).toBeLessThan(0.1);
  }, 60_000);
});
