import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config.js';
import { ResourceExhaustedError } from '../errors.js';
import type { AnswererWrapper } from '../request/answerer.js';
import type { CalcRequest } from '../request/calc-calls.js';

/** What the limiter is built from. */
export interface RateLimitingDeps {
  readonly config: RateLimitConfig;
  /** A call's price in estimated CPU milliseconds (call-price.ts). */
  readonly priceMs: (request: CalcRequest) => number;
  /** A client's own allowance in CPU seconds, when its key sets one. */
  readonly allowanceOf?: (client: string) => number | undefined;
  /**
   * In Redis mode, where the counters live, so that every API replica draws on the same
   * allowance (with `keyPrefix`); absent, they live in this process (embedded mode).
   */
  readonly redis?: { readonly connection: Redis; readonly keyPrefix: string };
  /** Told the client of each call refused for its rate limit, for a metric. */
  readonly onLimited?: (client: string) => void;
}

/**
 * A wrapper that charges each call's price to its client's allowance and answers a call over
 * it RESOURCE_EXHAUSTED, saying when to retry (also as grpc-retry-pushback-ms). The allowance
 * is rate-limiter-flexible's fixed window: `cpuSeconds` per `windowSeconds`, counted in Redis
 * when there is one. A call dearer than a whole allowance is charged the whole allowance, so
 * it can pass once its client's window is fresh rather than never.
 *
 * While Redis is unreachable, each replica counts in its own memory (rate-limiter-flexible's
 * insurance limiter) with the same allowance: neither unlimited access nor every call refused,
 * and with R replicas a client may get up to R allowances until Redis is back.
 */
export function rateLimiting(deps: RateLimitingDeps): AnswererWrapper {
  const { config, priceMs, allowanceOf, redis, onLimited } = deps;
  // One limiter per allowance: a fixed window's size is part of the limiter.
  const limiters = new Map<number, RateLimiterAbstract>();
  const limiterFor = (points: number): RateLimiterAbstract => {
    let limiter = limiters.get(points);
    if (limiter === undefined) {
      const options = { points, duration: config.windowSeconds };
      const local = new RateLimiterMemory(options);
      limiter =
        redis === undefined
          ? local
          : new RateLimiterRedis({
              ...options,
              storeClient: redis.connection,
              keyPrefix: `${redis.keyPrefix}:${points}`,
              rejectIfRedisNotReady: true,
              insuranceLimiter: local,
            });
      limiters.set(points, limiter);
    }
    return limiter;
  };
  return (next) => async (request, context) => {
    const seconds = allowanceOf?.(context.client) ?? config.cpuSeconds;
    const points = Math.max(1, Math.round(seconds * 1000));
    const price = Math.min(priceMs(request), points);
    try {
      await limiterFor(points).consume(context.client, price);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      onLimited?.(context.client);
      const retryMs = refusal.msBeforeNext;
      // The library counts the refused price too; what was left before this call is clearer.
      const left = Math.max(0, points - (refusal.consumedPoints - price));
      throw new ResourceExhaustedError(
        `"${context.client}" is over its rate limit of ${seconds} CPU seconds of estimated work per ${config.windowSeconds} s (this call: ${(price / 1000).toFixed(3)} s, left: ${(left / 1000).toFixed(3)} s); retry in ${(retryMs / 1000).toFixed(1)} s`,
        retryMs,
      );
    }
    return next(request, context);
  };
}
