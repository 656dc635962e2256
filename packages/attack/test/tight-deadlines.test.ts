import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLatencyProbe } from '../src/latency-probe.js';
import { calcClient, deadlineStorm, nthPrimesWithin, rapidResetFlood } from '../src/resets.js';
import { type Api, startApi } from '../src/service.js';

const CALLS = 3000;
/** Heavy enough to last well past a 30 ms deadline (about 0.2 s each), distinct per call. */
const HEAVY_N = 500_000_000_000n;
/** The unrelated call: a few seconds of work, with a 40 s deadline. */
const PATIENT_N = 20_000_000_000_000n;

describe('one connection with thousands of calls running out of their deadlines', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api?.process.stop();
  });

  it(`survives ${CALLS} heavy calls with 30 ms deadlines: every other call on it is untouched`, async () => {
    const address = `127.0.0.1:${api.port}`;
    const client = calcClient(address);
    try {
      const patient = nthPrimesWithin(client, [PATIENT_N], 40_000);
      const storm = await deadlineStorm(client, {
        calls: CALLS,
        concurrency: 50,
        deadlineMs: 30,
        firstN: HEAVY_N,
      });
      // The channel still serves at once, and the patient call gets its answer.
      const after = await nthPrimesWithin(client, [10n], 5000);
      const answered = await patient;
      const recycled = api.process.records.filter(
        (line) => line.msg === 'connection recycled before the HTTP/2 reset limit',
      );
      console.log(
        `tight deadlines: ${storm.calls} calls with 30 ms deadlines on one channel in ${(storm.ms / 1000).toFixed(1)} s: ` +
          `${JSON.stringify(storm.byStatus)}${storm.odd.length > 0 ? ` (${storm.odd.join('; ')})` : ''}; ` +
          `the 40 s call: ${status[answered.code]} after ${(answered.ms / 1000).toFixed(1)} s${answered.details ? ` "${answered.details}"` : ''}; ` +
          `a call after: ${status[after.code]}; connections recycled gracefully: ${recycled.length} ` +
          `(${recycled.map((line) => `${line.resets} resets, ${line.rapid} rapid`).join('; ')})`,
      );
      expect(Object.keys(storm.byStatus).sort()).toEqual(
        expect.arrayContaining(['DEADLINE_EXCEEDED']),
      );
      for (const name of Object.keys(storm.byStatus)) {
        expect(['DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED'], name).toContain(name);
      }
      expect(answered.code, answered.details).toBe(status.OK);
      expect(after.code).toBe(status.OK);
      expect(recycled.length).toBeGreaterThan(0);
      expect(
        api.process.records.some((line) => line.msg === 'rapid-reset flood: connection closed'),
      ).toBe(false);
    } finally {
      client.close();
    }
  }, 120_000);

  it('still cuts off a rapid-reset flood (HEADERS then RST_STREAM, as fast as it can), and no one else notices', async () => {
    const address = `127.0.0.1:${api.port}`;
    const probe = startLatencyProbe(address);
    const flood = await rapidResetFlood(address, { burst: 100, withinMs: 10_000 });
    const seen = await probe.stop();
    const after = await nthPrimesWithin(calcClient(address), [10n], 5000);
    const judged = api.process.records.find(
      (line) => line.msg === 'rapid-reset flood: connection closed',
    );
    console.log(
      `rapid-reset flood: ${flood.resets} streams opened and reset by the client in ${flood.ms.toFixed(0)} ms; the server ` +
        `${judged === undefined ? 'did not judge it a flood' : `counted ${judged.resets} resets, ${judged.rapid} of them within 5 ms of opening, and closed it`}; ` +
        `GOAWAY codes ${JSON.stringify(flood.goawayCodes)} (cut off: ${flood.cutOff}); ` +
        `Adds on another connection meanwhile: ${seen.latenciesMs.length}, ${seen.failures} failed; a call after: ${status[after.code]}`,
    );
    expect(flood.cutOff).toBe(true);
    // Judged a flood and closed (GOAWAY ENHANCE_YOUR_CALM), or cut off by nghttp2's own limit
    // first (GOAWAY INTERNAL_ERROR) when its resets come too densely for the guard to see them.
    expect(judged !== undefined || flood.goawayCodes.includes(2), JSON.stringify(flood)).toBe(true);
    expect(Number(judged?.resets ?? 0)).toBeLessThanOrEqual(1000);
    expect(flood.ms).toBeLessThan(5000);
    expect(seen.failures).toBe(0);
    expect(after.code).toBe(status.OK);
  }, 60_000);
});
