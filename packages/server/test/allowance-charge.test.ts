import { startTestRedis, type TestRedis } from '@twelvefa/test-support';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AllowanceCharger,
  AllowanceRefusal,
  RATE_LIMIT_REDIS_BUDGET_MS,
} from '../src/access/allowance-charge.js';
import { createProducerConnection, readyWithin } from '../src/redis/redis-connections.js';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis({ own: true });
});

afterAll(async () => {
  redis?.resume();
  await redis?.close();
});

function counters(connection: ReturnType<typeof createProducerConnection>, points: number) {
  const options = { points, duration: 60 };
  return {
    memory: new RateLimiterMemory(options),
    redis: new RateLimiterRedis({
      ...options,
      storeClient: connection,
      keyPrefix: `charge-test-${Date.now()}`,
      rejectIfRedisNotReady: true,
    }),
  };
}

describe('charging an allowance', () => {
  it('counts in Redis while it answers, and refuses past the allowance, saying where it counted', async () => {
    const connection = createProducerConnection({ url: redis.url }, 'charge-test');
    const pair = counters(connection, 10);
    const charger = new AllowanceCharger();
    try {
      expect(await readyWithin(connection, 5000)).toBe(true);
      expect(await charger.charge(pair, 'a', 6, true)).toBe(pair.redis);
      const refusal = await charger.charge(pair, 'a', 6, true).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(AllowanceRefusal);
      expect((refusal as AllowanceRefusal).counter).toBe(pair.redis);
    } finally {
      connection.disconnect();
    }
  });

  it('counts in memory when Redis does not answer within the budget, and waits no more after the first', async () => {
    const connection = createProducerConnection({ url: redis.url }, 'charge-test-stall');
    connection.on('error', () => undefined);
    const pair = counters(connection, 10);
    const charger = new AllowanceCharger();
    try {
      expect(await readyWithin(connection, 5000)).toBe(true);
      expect(await charger.charge(pair, 'b', 1, true)).toBe(pair.redis);
      redis.pause();
      let started = performance.now();
      expect(await charger.charge(pair, 'b', 1, true)).toBe(pair.memory);
      expect(performance.now() - started).toBeLessThan(RATE_LIMIT_REDIS_BUDGET_MS + 100);
      started = performance.now();
      expect(await charger.charge(pair, 'b', 1, true)).toBe(pair.memory);
      expect(performance.now() - started).toBeLessThan(20);
    } finally {
      redis.resume();
      connection.disconnect();
    }
  });
});
