import { startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProducerConnection } from '../src/redis/redis-connections.js';
import { RedisStallWatch } from '../src/redis/redis-stall-watch.js';
import { waitUntil } from './helpers/wait-until.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis({ own: true });
});

afterAll(async () => {
  redis?.resume();
  await redis?.close();
});

describe('a Redis that stops answering with its connections open (SIGSTOP)', () => {
  it('is marked stalled within 3 s, says so, and answering again once it goes on', async () => {
    const connection = createProducerConnection({ url: redis.url }, 'stall-watch-test', 1000);
    connection.on('error', () => undefined);
    const watch = new RedisStallWatch(connection);
    const seen: boolean[] = [];
    const stop = watch.watchAnswering((answering) => seen.push(answering));
    try {
      await waitUntil(() => seen.at(-1) === true, 'the connection answers');
      expect(watch.unanswered('doing it')).toBeUndefined();
      redis.pause();
      const pausedAt = performance.now();
      // A command of a request fails by its timeout meanwhile, not its caller's deadline.
      await expect(connection.get('anything')).rejects.toThrow('Command timed out');
      await waitUntil(() => seen.at(-1) === false, 'the stall is noticed', 5000);
      expect(performance.now() - pausedAt).toBeLessThan(3500);
      expect(connection.status).toBe('ready');
      expect(watch.unanswered('doing it')?.message).toMatch(
        /^Redis is not answering \(stalled, no reply for \d+\.\d s\): doing it; retry$/,
      );
      redis.resume();
      await waitUntil(() => seen.at(-1) === true, 'it answers again', 5000);
      expect(seen.slice(seen.indexOf(true))).toEqual([true, false, true]);
    } finally {
      stop();
      watch.stop();
      connection.disconnect();
    }
  });

  it('tells an unreachable Redis from a stalled one', async () => {
    const connection = new Redis(`redis://127.0.0.1:1`, {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const watch = new RedisStallWatch(connection);
    try {
      expect(watch.unanswered('queueing')?.message).toBe('Redis is unreachable, queueing');
    } finally {
      watch.stop();
      connection.disconnect();
    }
  });
});
