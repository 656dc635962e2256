import { status } from '@grpc/grpc-js';
import { AddRequest, AddResponse } from '@twelvefa/proto';
import { freePort, ManagedProcess, prepareCall, RawGrpcClient } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers/bins.js';
import { scrape } from './helpers/prometheus.js';

// Request bodies a real client never sends, each broken in a way the protobuf decoder notices.
const BROKEN: [string, string, number[]][] = [
  ['a truncated varint', '/calc.Calc/Add', [0x08, 0x80]],
  ['an 11-byte varint', '/calc.Calc/Add', [0x08, ...Array(10).fill(0xff), 0x01]],
  ['wire type 7', '/calc.Calc/Max', [0x0f, 0x01]],
  ['a length past the end', '/calc.Calc/NthPrimes', [0x0a, 0x10, 0x01]],
  ['a packed list cut short', '/calc.Calc/NthPrimes', [0x0a, 0x02, 0x80]],
];

describe('a request body the server cannot decode', () => {
  let api: ManagedProcess;
  let raw: RawGrpcClient;
  let metricsPort: number;

  beforeAll(async () => {
    const port = await freePort();
    metricsPort = await freePort();
    api = ManagedProcess.node(BIN.api, {
      PORT: String(port),
      HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
    });
    await api.waitForRecord((line) => line.msg === 'listening');
    await api.waitForRecord((line) => line.msg === 'metrics listening');
    raw = new RawGrpcClient(`127.0.0.1:${port}`);
  });

  afterAll(async () => {
    raw?.close();
    await api?.stop();
  });

  it.each(BROKEN)(
    'with %s is answered INVALID_ARGUMENT, saying what was wrong',
    async (_, path, bytes) => {
      const result = await raw.send(prepareCall(path, Uint8Array.from(bytes)));
      expect(result.status).toBe(status.INVALID_ARGUMENT);
      expect(result.details).toMatch(/^malformed calc\.(Add|Max|NthPrimes)Request: \S/);
    },
  );

  it('is counted by method, logged at debug, and leaves the server answering', async () => {
    const before = await scrape(metricsPort);
    const from = api.records.length;
    await raw.send(prepareCall('/calc.Calc/Add', Uint8Array.from([0x08, 0x80])));
    await raw.send(prepareCall('/calc.Calc/Add', Uint8Array.from([0x0f])));
    const after = await scrape(metricsPort);
    const name = 'twelvefa_grpc_malformed_requests_total';
    expect(after.value(name, { method: 'Add' }) - before.value(name, { method: 'Add' })).toBe(2);
    const logged = api.records.slice(from).filter((line) => line.msg === 'malformed request');
    expect(logged).toHaveLength(2);
    expect(logged.map((line) => line.level)).toEqual([20, 20]);
    const answer = await raw.call(
      prepareCall('/calc.Calc/Add', AddRequest.encode({ a: 2n, b: 5n }).finish()),
    );
    expect(AddResponse.decode(answer).sum).toBe(7n);
  });
});
