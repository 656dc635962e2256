import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectorUrlIn } from '../src/forced-gc.js';
import { heldWatchStorm, openWatch, SERVING_STATUS, watchStorm } from '../src/health-watch.js';
import { type Api, settledRssBytes, startApi } from '../src/service.js';

const WATCHES = 20_000;
const PER_CONNECTION = 16;
const MiB = 1024 * 1024;
const mib = (bytes: number): string => (bytes / MiB).toFixed(1);

describe(`${WATCHES.toLocaleString('en')} health Watch streams on distinct unknown names, no credentials`, () => {
  let api: Api;
  let directory: string;
  let address: string;
  let pid: number;
  let inspector: string;

  beforeAll(async () => {
    // Health needs no key even when calc.Calc does: the attacker needs none either.
    directory = mkdtempSync(join(tmpdir(), 'twelvefa-health-watch-'));
    const keysFile = join(directory, 'keys.json');
    writeFileSync(keysFile, '{ "keys": [] }\n');
    api = await startApi({
      AUTH_KEYS_FILE: keysFile,
      HEALTH_WATCH_MAX_PER_CONNECTION: String(PER_CONNECTION),
      // For a full GC before each RSS reading (forced-gc.ts).
      NODE_OPTIONS: '--inspect=127.0.0.1:0',
    });
    inspector = inspectorUrlIn(api.process.log);
    address = `127.0.0.1:${api.port}`;
    pid = api.process.pid ?? 0;
    // Warm the code paths first, so the figures measure what is kept, not what is loaded.
    await watchStorm(address, { count: 2000, prefix: 'warm', lanes: 8, perConnection: 250 });
  });

  afterAll(async () => {
    await api?.process.stop();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it(`held open at once on 4 connections: ${PER_CONNECTION} per connection admitted, the rest RESOURCE_EXHAUSTED, settled RSS within 20 MiB`, async () => {
    const before = await settledRssBytes(pid, inspector);
    const storm = await heldWatchStorm(address, { count: WATCHES, prefix: 'held', connections: 4 });
    const after = await settledRssBytes(pid, inspector);
    console.log(
      `health Watch, held: ${storm.watches} streams at once on 4 connections in ${(storm.ms / 1000).toFixed(1)} s ` +
        `(${JSON.stringify(storm.outcomes)}); settled API RSS ${mib(before)} -> ${mib(after)} MiB (${mib(after - before)} MiB)`,
    );
    expect(storm.outcomes).toEqual({
      SERVICE_UNKNOWN: 4 * PER_CONNECTION,
      [`grpc-status ${status.RESOURCE_EXHAUSTED}`]: WATCHES - 4 * PER_CONNECTION,
    });
    expect(after - before).toBeLessThan(20 * MiB);
  }, 90_000);

  it('opened and cancelled one after another: each SERVICE_UNKNOWN, nothing remembered', async () => {
    const before = await settledRssBytes(pid, inspector);
    const storm = await watchStorm(address, {
      count: WATCHES,
      prefix: 'cancelled',
      lanes: 8,
      perConnection: 250,
    });
    const after = await settledRssBytes(pid, inspector);
    console.log(
      `health Watch, cancelled: ${storm.watches} streams in ${(storm.ms / 1000).toFixed(1)} s ` +
        `(${JSON.stringify(storm.outcomes)}); settled API RSS ${mib(before)} -> ${mib(after)} MiB (${mib(after - before)} MiB)`,
    );
    expect(storm.outcomes).toEqual({ SERVICE_UNKNOWN: WATCHES });
    expect(after - before).toBeLessThan(20 * MiB);
  }, 90_000);

  it('a connection at its cap is refused with a clear status; a cancelled watch frees a place; shutdown ends the watches', async () => {
    const session = http2.connect(`http://${address}`);
    session.on('error', () => undefined);
    try {
      const watches = Array.from({ length: PER_CONNECTION }, () => openWatch(session, 'readiness'));
      const firsts = await Promise.all(watches.map((watch) => watch.first));
      expect(new Set(firsts.map((first) => first.firstStatus))).toEqual(
        new Set([SERVING_STATUS.SERVING]),
      );
      const refused = await openWatch(session, 'readiness').first;
      expect(refused.grpcStatus).toBe(status.RESOURCE_EXHAUSTED);
      expect(refused.details).toMatch(/too many health watches on this connection/);
      // Another connection has its own allowance, and a freed place is taken again.
      const other = http2.connect(`http://${address}`);
      other.on('error', () => undefined);
      expect((await openWatch(other, 'liveness').first).firstStatus).toBe(SERVING_STATUS.SERVING);
      other.destroy();
      watches.pop()?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = openWatch(session, 'readiness');
      watches.push(again);
      expect((await again.first).firstStatus).toBe(SERVING_STATUS.SERVING);

      // SIGTERM: every watcher hears NOT_SERVING, then its stream ends, and the API does not
      // spend its 10 s grace waiting for streams that never end by themselves.
      const stopped = performance.now();
      api.process.signal('SIGTERM');
      const ended = await Promise.all(watches.map((watch) => watch.ended));
      const exit = await api.process.exited;
      const exitMs = performance.now() - stopped;
      console.log(
        `health Watch, shutdown: ${watches.length} watchers told NOT_SERVING, ended ${JSON.stringify(
          Object.fromEntries(
            [...new Set(ended)].map((code) => [code, ended.filter((c) => c === code).length]),
          ),
        )}, API exited ${exit.code} after ${exitMs.toFixed(0)} ms`,
      );
      for (const watch of watches) {
        expect(watch.statuses).toEqual([SERVING_STATUS.SERVING, SERVING_STATUS.NOT_SERVING]);
      }
      expect(new Set(ended)).toEqual(new Set([status.UNAVAILABLE]));
      expect(exit.code).toBe(0);
      expect(exitMs).toBeLessThan(5000);
    } finally {
      session.destroy();
    }
  }, 60_000);
});
