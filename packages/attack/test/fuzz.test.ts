import { status } from '@grpc/grpc-js';
import { AddRequest, AddResponse } from '@twelvefa/proto';
import { prepareCall, RawGrpcClient } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFuzzReport, fuzz } from '../src/fuzz-run.js';
import { type Api, startApi } from '../src/service.js';

const LIMITS = { maxN: 10_000_000, maxBatch: 20 };
// A new seed each run widens what CI explores; it is printed, and FUZZ_SEED replays it.
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('20,000 fuzzed and edge-value requests', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi({ MAX_N: String(LIMITS.maxN), MAX_BATCH: String(LIMITS.maxBatch) });
  });

  afterAll(async () => {
    await api?.process.stop();
  });

  it('all answered as the contract says: no INTERNAL, no UNKNOWN, every OK value right', async () => {
    const report = await fuzz(`127.0.0.1:${api.port}`, {
      count: 20_000,
      seed: SEED,
      limits: LIMITS,
      concurrency: 32,
      sessions: 4,
    });
    console.log(formatFuzzReport(report, SEED));
    expect(report.wrong).toEqual([]);
    expect(report.answered).toBe(20_000);
    expect(report.byStatus.INTERNAL ?? 0).toBe(0);
    expect(report.byStatus.UNKNOWN ?? 0).toBe(0);
    // Every generator was exercised, and enough valid answers were checked to mean something.
    expect(Object.keys(report.byKind).length).toBeGreaterThanOrEqual(10);
    expect(report.checked).toBeGreaterThan(3000);
    expect(report.byStatus.INVALID_ARGUMENT).toBeGreaterThan(3000);
  }, 120_000);

  it('leaves the server alive and answering', async () => {
    expect(api.process.running).toBe(true);
    const raw = new RawGrpcClient(`127.0.0.1:${api.port}`);
    try {
      const reply = await raw.call(
        prepareCall('/calc.Calc/Add', AddRequest.encode({ a: 40n, b: 2n }).finish()),
      );
      expect(AddResponse.decode(reply).sum).toBe(42n);
      const noBody = await raw.send(prepareCall('/calc.Calc/NthPrimes', new Uint8Array()));
      expect(noBody.status).toBe(status.INVALID_ARGUMENT);
    } finally {
      raw.close();
    }
  });
});
