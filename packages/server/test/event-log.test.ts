import { spawn } from 'node:child_process';
import { status } from '@grpc/grpc-js';
import {
  freePort,
  ManagedProcess,
  startTestRedis,
  type TestRedis,
  watchStream,
} from '@twelvefa/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CalcEvent, type CommandEvent, decodeEvent } from '../src/events/calc-event.js';
import { EventLog, type EventLogMonitor, type EventLossReason } from '../src/events/event-log.js';
import { EventSubscriber, type EventSubscriberOptions } from '../src/events/event-subscriber.js';
import type { StreamEvent } from '../src/events/stream-entry.js';
import { BIN } from './helpers/bins.js';
import { TestCalcClient } from './helpers/calc-client.js';
import { scrape } from './helpers/prometheus.js';
import { quietLogger } from './helpers/queue-fixture.js';
import { waitUntil } from './helpers/wait-until.js';

let streams = 0;
function freshStream(label: string): string {
  streams += 1;
  return `twelvefa-test:events:${label}-${process.pid}-${streams}`;
}

/** Counts what the event log reports, like the metrics do. */
class CountingMonitor implements EventLogMonitor {
  written = 0;
  readonly lost = new Map<EventLossReason, number>();
  eventWritten(): void {
    this.written += 1;
  }
  eventLost(reason: EventLossReason): void {
    this.lost.set(reason, (this.lost.get(reason) ?? 0) + 1);
  }
}

function command(index: number): CommandEvent {
  return {
    type: 'command',
    id: `command-${index}`,
    requestId: `request-${index}`,
    client: '127.0.0.1',
    method: 'Add',
    args: { a: String(index), b: '9223372036854775807' },
    at: new Date().toISOString(),
  };
}

function idOf(event: CalcEvent): string {
  return event.type === 'command' ? event.id : event.commandId;
}

let redis: TestRedis;
let reader: Redis;

beforeAll(async () => {
  redis = await startTestRedis();
  reader = new Redis(redis.url);
});

afterAll(async () => {
  reader?.disconnect();
  await redis?.close();
});

async function appendAll(
  stream: string,
  events: readonly CalcEvent[],
  maxLength = 10_000,
  redisUrl = redis.url,
) {
  const monitor = new CountingMonitor();
  const log = new EventLog(
    { redis: { url: redisUrl }, stream, maxLength, maxPending: 100_000, timeoutMs: 5000 },
    quietLogger,
    monitor,
  );
  await log.waitUntilReady();
  for (const event of events) log.append(event);
  await log.close();
  return monitor;
}

async function streamEvents(stream: string): Promise<CalcEvent[]> {
  const entries = await reader.xrange(stream, '-', '+');
  return entries.map(([, fields]) => decodeEvent(fields));
}

function subscriberOptions(
  stream: string,
  consumer: string,
  overrides: Partial<EventSubscriberOptions> = {},
): EventSubscriberOptions {
  return {
    redis: { url: redis.url },
    stream,
    group: 'recorders',
    consumer,
    claimIdleMs: 60_000,
    batchSize: 10,
    blockMs: 200,
    ...overrides,
  };
}

describe('when events are appended', () => {
  it('writes each event as one stream entry, 64-bit values as exact strings', async () => {
    const stream = freshStream('append');
    const events = [command(1), command(2)];
    const monitor = await appendAll(stream, events);
    expect(monitor.written).toBe(2);
    expect(await streamEvents(stream)).toEqual(events);
  });

  it('keeps the stream bounded by EVENT_STREAM_MAX_LENGTH (approximately)', async () => {
    const stream = freshStream('bounded');
    const events = Array.from({ length: 1000 }, (_, index) => command(index));
    await appendAll(stream, events, 100);
    const length = await reader.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(100);
    // MAXLEN ~ trims whole macro nodes (100 entries each by default): far below 1000.
    expect(length).toBeLessThan(300);
  });

  it('drops and counts events beyond EVENT_LOG_MAX_PENDING instead of queueing them', async () => {
    const stream = freshStream('overflow');
    const monitor = new CountingMonitor();
    const log = new EventLog(
      { redis: { url: redis.url }, stream, maxLength: 100, maxPending: 2, timeoutMs: 5000 },
      quietLogger,
      monitor,
    );
    try {
      await log.waitUntilReady();
      for (let index = 0; index < 5; index += 1) log.append(command(index));
      expect(log.pendingCount()).toBe(2);
      expect(monitor.lost.get('overflow')).toBe(3);
    } finally {
      await log.close();
    }
    expect(monitor.written).toBe(2);
    expect(await reader.xlen(stream)).toBe(2);
  });
});

describe('when Redis is down', () => {
  it('returns at once from append and counts every event as lost', async () => {
    const down = await startTestRedis({ own: true });
    const monitor = new CountingMonitor();
    const log = new EventLog(
      {
        redis: { url: down.url },
        stream: freshStream('down'),
        maxLength: 100,
        maxPending: 10,
        timeoutMs: 500,
      },
      quietLogger,
      monitor,
    );
    try {
      await log.waitUntilReady();
      await down.kill();
      await waitUntil(() => log.pendingCount() === 0, 'no write is pending');
      const started = performance.now();
      for (let index = 0; index < 3; index += 1) log.append(command(index));
      expect(performance.now() - started).toBeLessThan(50);
      await waitUntil(() => log.pendingCount() === 0, 'the failed writes settled');
      expect(monitor.lost.get('unavailable')).toBe(3);
      expect(monitor.written).toBe(0);
    } finally {
      await log.close();
      await down.close();
    }
  });
});

describe('when two subscribers share a consumer group', () => {
  it('hands each event to exactly one of them, and together they see every event', async () => {
    const stream = freshStream('group');
    const seen = { a: [] as string[], b: [] as string[] };
    const handler =
      (into: string[]) =>
      async ({ event }: StreamEvent) => {
        into.push(idOf(event));
        // A slow consumer leaves the next event to the other one.
        await new Promise((resolve) => setTimeout(resolve, 15));
      };
    const a = new EventSubscriber(subscriberOptions(stream, 'a', { batchSize: 1 }), quietLogger);
    const b = new EventSubscriber(subscriberOptions(stream, 'b', { batchSize: 1 }), quietLogger);
    const runs = [
      a.run(handler(seen.a), { follow: true }),
      b.run(handler(seen.b), { follow: true }),
    ];
    try {
      const log = new EventLog(
        { redis: { url: redis.url }, stream, maxLength: 1000, maxPending: 100, timeoutMs: 5000 },
        quietLogger,
      );
      await log.waitUntilReady();
      const events = Array.from({ length: 30 }, (_, index) => command(index));
      for (const event of events) {
        log.append(event);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await log.close();
      await waitUntil(() => seen.a.length + seen.b.length >= events.length, 'all are delivered');
      const all = events.map(idOf);
      expect(seen.a.filter((id) => seen.b.includes(id))).toEqual([]);
      expect([...seen.a, ...seen.b].sort()).toEqual([...all].sort());
      expect(seen.a.length).toBeGreaterThan(0);
      expect(seen.b.length).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all(runs);
    }
    const pending = (await reader.xpending(stream, 'recorders')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });
});

describe('when a subscriber restarts', () => {
  it('resumes with the event it was handling when it stopped, and loses none after it', async () => {
    const stream = freshStream('restart');
    const events = Array.from({ length: 10 }, (_, index) => command(index));
    await appendAll(stream, events.slice(0, 6));
    const first: string[] = [];
    const crashing = new EventSubscriber(subscriberOptions(stream, 'recorder'), quietLogger);
    await expect(
      crashing.run(
        ({ event }) => {
          if (first.length === 3) throw new Error('crashed while handling the fourth event');
          first.push(idOf(event));
        },
        { follow: false },
      ),
    ).rejects.toThrow('crashed');
    await crashing.close();
    // Events appended while no subscriber runs are kept for the group too.
    await appendAll(stream, events.slice(6));

    const second: string[] = [];
    const restarted = new EventSubscriber(subscriberOptions(stream, 'recorder'), quietLogger);
    await restarted.run(({ event }) => void second.push(idOf(event)), { follow: false });
    await restarted.close();

    const all = events.map(idOf);
    expect(first).toEqual(all.slice(0, 3));
    expect(second).toEqual(all.slice(3));
  });

  it('takes over events another consumer left unacknowledged for EVENT_CLAIM_IDLE_MS', async () => {
    const stream = freshStream('claim');
    const events = Array.from({ length: 4 }, (_, index) => command(index));
    await appendAll(stream, events);
    // A consumer that read two events and died before acknowledging them.
    await reader.xgroup('CREATE', stream, 'recorders', '0');
    await reader.xreadgroup('GROUP', 'recorders', 'dead', 'COUNT', 2, 'STREAMS', stream, '>');
    await new Promise((resolve) => setTimeout(resolve, 60));

    const seen: string[] = [];
    const survivor = new EventSubscriber(
      subscriberOptions(stream, 'survivor', { claimIdleMs: 50 }),
      quietLogger,
    );
    await survivor.run(({ event }) => void seen.push(idOf(event)), { follow: false });
    await survivor.close();
    expect(seen.sort()).toEqual(events.map(idOf).sort());
    const pending = (await reader.xpending(stream, 'recorders')) as [number, ...unknown[]];
    expect(pending[0]).toBe(0);
  });
});

describe('the twelvefa-events command', () => {
  function runEvents(stream: string, args: readonly string[]): Promise<ManagedProcess> {
    const process = ManagedProcess.node(
      BIN.events,
      { REDIS_URL: redis.url, EVENT_STREAM: stream, EVENT_GROUP: 'cli' },
      args,
    );
    return process.exited.then(({ code }) => {
      if (code !== 0) throw new Error(`twelvefa-events exited ${code}: ${process.log}`);
      return process;
    });
  }

  it('prints each event once as a JSON line, and a second run only the new ones', async () => {
    const stream = freshStream('cli');
    const events = Array.from({ length: 5 }, (_, index) => command(index));
    await appendAll(stream, events.slice(0, 3));
    const first = await runEvents(stream, ['--consumer', 'printer']);
    await appendAll(stream, events.slice(3));
    const second = await runEvents(stream, ['--consumer', 'printer']);
    const ids = (run: ManagedProcess) => run.records.map((line) => String(line.id));
    expect(ids(first)).toEqual(['command-0', 'command-1', 'command-2']);
    expect(ids(second)).toEqual(['command-3', 'command-4']);
    expect(first.records[0]).toMatchObject({
      type: 'command',
      method: 'Add',
      args: { a: '0', b: '9223372036854775807' },
      streamId: expect.stringMatching(/^\d+-\d+$/),
    });
  });

  it('replays from a stream id with --from, without moving the group', async () => {
    const stream = freshStream('replay');
    const events = Array.from({ length: 4 }, (_, index) => command(index));
    await appendAll(stream, events);
    const entries = await reader.xrange(stream, '-', '+');
    const third = entries[2]?.[0] ?? '';
    const replay = await runEvents(stream, ['--from', third]);
    expect(replay.records.map((line) => line.id)).toEqual(['command-2', 'command-3']);
    expect(replay.records[0]?.streamId).toBe(third);
    const all = await runEvents(stream, ['--from', '0']);
    expect(all.records).toHaveLength(4);
    // No group was created or moved: a recorder still gets everything.
    const recorder = await runEvents(stream, ['--consumer', 'recorder']);
    expect(recorder.records).toHaveLength(4);
  });

  it('follows new events until it is stopped', async () => {
    const stream = freshStream('follow');
    const follower = ManagedProcess.node(
      BIN.events,
      { REDIS_URL: redis.url, EVENT_STREAM: stream, EVENT_GROUP: 'cli' },
      ['--follow', '--consumer', 'tail'],
    );
    try {
      await appendAll(stream, [command(1)]);
      await follower.waitForRecord((line) => line.id === 'command-1');
      await appendAll(stream, [command(2)]);
      await follower.waitForRecord((line) => line.id === 'command-2');
    } finally {
      await follower.stop();
    }
    expect((await follower.exited).code).toBe(0);
    expect(follower.records.filter((line) => line.type === 'command')).toHaveLength(2);
  });

  it('follows on through a Redis restarted empty and a flushed Redis, recreating its group', async () => {
    const own = await startTestRedis();
    const stream = freshStream('outlive');
    const follower = ManagedProcess.node(
      BIN.events,
      { REDIS_URL: own.url, EVENT_STREAM: stream, EVENT_GROUP: 'cli' },
      ['--follow', '--consumer', 'tail'],
    );
    const recreated = () =>
      follower.records.filter((line) => String(line.msg).startsWith('the consumer group is gone'));
    try {
      await appendAll(stream, [command(1)], 10_000, own.url);
      await follower.waitForRecord((line) => line.id === 'command-1');
      await own.restart();
      await appendAll(stream, [command(2)], 10_000, own.url);
      await follower.waitForRecord((line) => line.id === 'command-2', 15_000);
      const flusher = new Redis(own.url);
      await flusher.flushall();
      flusher.disconnect();
      await appendAll(stream, [command(3)], 10_000, own.url);
      await follower.waitForRecord((line) => line.id === 'command-3', 15_000);
      expect(follower.running).toBe(true);
      expect(recreated().length).toBeGreaterThanOrEqual(2);
      expect(recreated().every((line) => line.level === 40)).toBe(true);
    } finally {
      await follower.stop();
      await own.close();
    }
    expect((await follower.exited).code).toBe(0);
    expect(
      follower.records.filter((line) => line.type === 'command').map((line) => line.id),
    ).toEqual(['command-1', 'command-2', 'command-3']);
  });

  it('stops quietly with exit code 0 when whoever reads its output goes away', async () => {
    const stream = freshStream('pipe');
    const child = spawn(process.execPath, [BIN.events, '--follow'], {
      env: { ...process.env, REDIS_URL: redis.url, EVENT_STREAM: stream, EVENT_GROUP: 'cli' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gone = () => child.exitCode !== null || child.signalCode !== null;
    watchStream('twelvefa-events --follow stderr', child.stderr, 'any', gone);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await appendAll(stream, [command(1)]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    // Like `twelvefa-events --follow | head -1`: the reader closes its end, and the next event
    // written meets a broken pipe.
    child.stdout.destroy();
    await appendAll(stream, [command(2)]);
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('EPIPE');
  });

  it('rejects a --from that is not a stream id', async () => {
    const process = ManagedProcess.node(
      BIN.events,
      { REDIS_URL: redis.url, EVENT_STREAM: freshStream('bad') },
      ['--from', 'yesterday'],
    );
    expect((await process.exited).code).toBe(2);
    expect(process.log).toContain('--from must be a stream id');
  });
});

describe('when the API records its requests', () => {
  async function startApi(
    redisUrl: string,
    stream: string,
    metricsPort?: number,
    env: Record<string, string> = {},
  ) {
    const port = await freePort();
    const api = ManagedProcess.node(BIN.api, {
      REDIS_URL: redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      QUEUE_PREFIX: 'twelvefa-test',
      QUEUE_NAME: `events-${process.pid}`,
      EVENT_STREAM: stream,
      ...(metricsPort !== undefined && {
        METRICS_PORT: String(metricsPort),
        METRICS_HOST: '127.0.0.1',
      }),
      ...env,
    });
    await api.waitForRecord((line) => line.msg === 'listening');
    return { api, client: new TestCalcClient(port) };
  }

  it('appends a command event per call and a result or error event per outcome', async () => {
    const stream = freshStream('api');
    const { api, client } = await startApi(redis.url, stream);
    try {
      expect(await client.add(9_223_372_036_854_775_806n, 1n)).toMatchObject({ ok: true });
      expect(await client.nthPrimes([12n, 1n])).toEqual({ ok: true, value: [37n, 2n] });
      expect(await client.add(9_223_372_036_854_775_807n, 1n)).toMatchObject({
        ok: false,
        code: status.OUT_OF_RANGE,
      });
      await waitUntil(async () => (await reader.xlen(stream)) === 6, 'six events are written');
    } finally {
      client.close();
      await api.stop();
    }
    const events = await streamEvents(stream);
    const commands = events.filter((event) => event.type === 'command');
    expect(commands.map((event) => [event.method, event.args])).toEqual([
      ['Add', { a: '9223372036854775806', b: '1' }],
      ['NthPrimes', { n: ['12', '1'] }],
      ['Add', { a: '9223372036854775807', b: '1' }],
    ]);
    // Without API keys a caller is known by its address (access.test.ts: by its key's client).
    expect(commands.map((event) => event.client)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    const outcomeOf = (id: string) =>
      events.find((event) => event.type !== 'command' && event.commandId === id);
    expect(outcomeOf(commands[0]?.id ?? '')).toMatchObject({
      type: 'result',
      method: 'Add',
      result: { sum: '9223372036854775807' },
    });
    expect(outcomeOf(commands[1]?.id ?? '')).toMatchObject({
      type: 'result',
      result: { nthPrimes: ['37', '2'] },
    });
    expect(outcomeOf(commands[2]?.id ?? '')).toMatchObject({
      type: 'error',
      code: 'OUT_OF_RANGE',
      message: expect.stringContaining('int64'),
    });
    for (const event of events) {
      if (event.type !== 'command') expect(event.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('still answers when Redis is down, and counts and logs the events it lost', async () => {
    const doomed = await startTestRedis({ own: true });
    const metricsPort = await freePort();
    // Events wait up to 2 s for Redis; the calls must not wait with them.
    const { api, client } = await startApi(doomed.url, freshStream('down'), metricsPort, {
      EVENT_LOG_TIMEOUT_MS: '2000',
    });
    try {
      expect(await client.add(1n, 1n)).toEqual({ ok: true, value: 2n });
      const writes = async (type: string) =>
        (await scrape(metricsPort)).value('twelvefa_event_log_writes_total', { type });
      await waitUntil(
        async () => (await writes('command')) === 1 && (await writes('result')) === 1,
        'the first call is recorded',
      );
      await doomed.kill();
      const started = performance.now();
      expect(await client.add(2n, 3n)).toEqual({ ok: true, value: 5n });
      expect(await client.max(2n, 3n)).toEqual({ ok: true, value: 3n });
      expect(performance.now() - started).toBeLessThan(1000);
      await waitUntil(
        async () =>
          (await scrape(metricsPort)).value('twelvefa_event_log_write_failures_total', {
            reason: 'unavailable',
          }) === 4,
        'four events are counted as lost',
      );
      await api.waitForRecord(
        (line) => line.msg === 'events lost: the event log could not write to Redis',
      );
      expect(await writes('command')).toBe(1);
      expect(await writes('result')).toBe(1);
    } finally {
      client.close();
      await api.stop();
      await doomed.close();
    }
  });
});
