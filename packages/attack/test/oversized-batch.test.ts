import { status } from '@grpc/grpc-js';
import { NthPrimesRequest } from '@twelvefa/proto';
import {
  ManagedProcess,
  type PreparedCall,
  prepareCall,
  RawGrpcClient,
} from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectorUrlIn } from '../src/forced-gc.js';
import { quantile, startLatencyProbe } from '../src/latency-probe.js';
import { connect, send } from '../src/raw-session.js';
import { type Api, BIN, rssBytes, settledRssBytes, startApi } from '../src/service.js';

const MiB = 1024 * 1024;
const mib = (bytes: number): string => (bytes / MiB).toFixed(1);
const FLOOD_MS = 5000;
const CLIENTS = 4;
/** The largest MAX_BATCH the API accepts. */
const LARGEST_BATCH = 5000;

/** An NthPrimes body of `count` n, each a 10-byte varint (2^63), packed: the bytes are the point. */
function tenByteBatch(count: number): PreparedCall {
  const varint = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];
  const payload = Buffer.alloc(count * varint.length);
  for (let at = 0; at < payload.length; at += varint.length) payload.set(varint, at);
  const length: number[] = [];
  for (let rest = payload.length; ; rest = Math.floor(rest / 128)) {
    if (rest < 128) {
      length.push(rest);
      break;
    }
    length.push((rest % 128) | 0x80);
  }
  return prepareCall(
    '/calc.Calc/NthPrimes',
    Buffer.concat([Buffer.from([0x0a, ...length]), payload]),
  );
}

/** `count` distinct n answered from the inline table: the most work per n on the event loop. */
function inlineBatch(count: number, offset = 0): PreparedCall {
  const n = Array.from({ length: count }, (_, i) => BigInt(4_000_000 - offset - i));
  return prepareCall('/calc.Calc/NthPrimes', NthPrimesRequest.encode({ n }).finish());
}

describe(`${CLIENTS} clients sending 4.13 MB NthPrimes batches for ${FLOOD_MS / 1000} s`, () => {
  let api: Api;
  let inspector: string;

  beforeAll(async () => {
    api = await startApi({ NODE_OPTIONS: '--inspect=127.0.0.1:0' });
    inspector = inspectorUrlIn(api.process.log);
  });

  afterAll(async () => {
    await api?.process.stop();
  });

  it('are refused RESOURCE_EXHAUSTED from their length prefix: nothing held, other calls unhurt', async () => {
    const pid = api.process.pid ?? 0;
    const address = `127.0.0.1:${api.port}`;
    const big = tenByteBatch(413_000);
    expect(big.frame.length).toBeGreaterThan(4_130_000);
    // Warm up, then the calm figures.
    const warming = startLatencyProbe(address);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await warming.stop();
    const quiet = startLatencyProbe(address);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const calm = await quiet.stop();
    const before = await settledRssBytes(pid, inspector);

    const probe = startLatencyProbe(address);
    let peak = before;
    const until = performance.now() + FLOOD_MS;
    const refusals: { code: number; details: string; ms: number }[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        // Node's default 10 MB of session memory would refuse our own next stream while the
        // last one's 4 MB are still queued to send: the limit here is the server's, not ours.
        const session = connect(address, { maxSessionMemory: 1024 });
        while (performance.now() < until) {
          const started = performance.now();
          const result = await send(session, big);
          refusals.push({
            code: result.status,
            details: result.details,
            ms: performance.now() - started,
          });
          peak = Math.max(peak, await rssBytes(pid));
        }
        session.close();
      }),
    );
    const flood = await probe.stop();
    const after = await settledRssBytes(pid, inspector);
    const codes = new Set(refusals.map((refusal) => refusal.code));
    const odd = refusals.filter((refusal) => refusal.code !== status.RESOURCE_EXHAUSTED);
    if (odd.length > 0)
      console.log(
        `not RESOURCE_EXHAUSTED: ${odd.length}, first: ${odd[0]?.code} ${odd[0]?.details}`,
      );
    console.log(
      `oversized batches: ${refusals.length} of ${(big.frame.length / 1e6).toFixed(2)} MB from ${CLIENTS} clients in ${FLOOD_MS / 1000} s, ` +
        `codes ${[...codes].map((code) => status[code] ?? code).join(', ')} ("${refusals[0]?.details}"), ` +
        `median refusal ${quantile(
          refusals.map((refusal) => refusal.ms),
          0.5,
        ).toFixed(1)} ms; ` +
        `Add p50/p99 ${quantile(calm.latenciesMs, 0.5).toFixed(1)}/${quantile(calm.latenciesMs, 0.99).toFixed(1)} ms calm, ` +
        `${quantile(flood.latenciesMs, 0.5).toFixed(1)}/${quantile(flood.latenciesMs, 0.99).toFixed(1)} ms under the flood ` +
        `(${flood.latenciesMs.length} Adds, ${flood.failures} failed); API RSS ${mib(before)} MiB settled, peak ${mib(peak)}, settled after ${mib(after)}`,
    );
    expect(codes).toEqual(new Set([status.RESOURCE_EXHAUSTED]));
    expect(refusals[0]?.details).toMatch(/^Received message larger than max \(4130005 vs 16384\)$/);
    expect(flood.failures).toBe(0);
    expect(quantile(flood.latenciesMs, 0.99)).toBeLessThan(25);
    // What stays is the allocator's high-water mark of the connections' receive buffers: the
    // same after 5 s as after 15 s (before the fix: +400 MiB, growing with the flood).
    expect(peak - before).toBeLessThan(64 * MiB);
    expect(after - before).toBeLessThan(48 * MiB);
  }, 60_000);
});

describe(`the largest batch allowed (MAX_BATCH ${LARGEST_BATCH})`, () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi({ MAX_BATCH: String(LARGEST_BATCH) });
  });

  afterAll(async () => {
    await api?.process.stop();
  });

  it('holds the event loop under 50 ms, and a body too large for it is refused unread', async () => {
    const address = `127.0.0.1:${api.port}`;
    const client = new RawGrpcClient(address);
    try {
      const stalls: number[] = [];
      const callMs: number[] = [];
      for (let round = 0; round < 6; round += 1) {
        // Distinct n each round, so no answer comes from a cache; the first round warms up.
        const batch = inlineBatch(LARGEST_BATCH, round * LARGEST_BATCH);
        const probe = startLatencyProbe(address, 2);
        await new Promise((resolve) => setTimeout(resolve, 50));
        const started = performance.now();
        const result = await client.send(batch);
        const ms = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 50));
        const seen = await probe.stop();
        expect(result.status, result.details).toBe(status.OK);
        if (round > 0) {
          callMs.push(ms);
          stalls.push(Math.max(...seen.latenciesMs));
        }
      }
      const tooMany = await client.send(inlineBatch(LARGEST_BATCH + 1));
      const tooLarge = await client.send(tenByteBatch(LARGEST_BATCH + LARGEST_BATCH / 5 + 1));
      console.log(
        `largest batch: ${LARGEST_BATCH} n answered in ${callMs.map((ms) => ms.toFixed(0)).join(', ')} ms; ` +
          `slowest Add beside it ${stalls.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${quantile(stalls, 0.5).toFixed(1)}); ` +
          `${LARGEST_BATCH + 1} n: ${status[tooMany.status]} "${tooMany.details}"; ` +
          `${LARGEST_BATCH + LARGEST_BATCH / 5 + 1} 10-byte n: ${status[tooLarge.status]} "${tooLarge.details}"`,
      );
      expect(quantile(stalls, 0.5)).toBeLessThan(50);
      expect(tooMany).toMatchObject({
        status: status.RESOURCE_EXHAUSTED,
        details: `at most ${LARGEST_BATCH} n per call, got ${LARGEST_BATCH + 1}`,
      });
      // 12 bytes per n, the costliest valid encoding, is the bound.
      expect(tooLarge).toMatchObject({ status: status.RESOURCE_EXHAUSTED });
      expect(tooLarge.details).toMatch(
        new RegExp(`^Received message larger than max \\(\\d+ vs ${12 * LARGEST_BATCH}\\)$`),
      );
    } finally {
      client.close();
    }
  }, 60_000);

  it(`refuses to start with a larger MAX_BATCH, naming it`, async () => {
    const api = ManagedProcess.node(BIN.api, {
      HOST: '127.0.0.1',
      PORT: '0',
      MAX_BATCH: '1000000',
    });
    const exit = await Promise.race([
      api.exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 10_000)),
    ]);
    await api.stop();
    console.log(`MAX_BATCH=1000000: exit ${exit?.code}, "${api.log.trim().split('\n').at(-1)}"`);
    expect(exit?.code).toBe(2);
    expect(api.log).toContain(`MAX_BATCH must be an integer from 1 to ${LARGEST_BATCH}`);
  });
});
