import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
} from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config/api-config.js';
import { ResourceExhaustedError, UnavailableError } from '../errors.js';
import type { AnswererWrapper } from '../request/answerer.js';
import type { CalcMethod, CalcReply, CalcRequest } from '../request/calc-calls.js';
import type { CallContext } from '../request/call-context.js';
import {
  AllowanceCharger,
  type AllowanceCounters,
  AllowanceRefusal,
  type Charged,
} from './allowance-charge.js';

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
  readonly redis?: {
    readonly connection: Redis;
    readonly keyPrefix: string;
    /** False while Redis is stalled (redis-stall-watch.ts): calls are then counted in memory at once. */
    readonly responsive: () => boolean;
  };
  /** Told the client of each call refused for its rate limit, for a metric. */
  readonly onLimited?: (client: string) => void;
}

/**
 * A wrapper that charges each call its full estimated price up front and answers a call over
 * the allowance RESOURCE_EXHAUSTED, saying when to retry (also as grpc-retry-pushback-ms). The
 * allowance is rate-limiter-flexible's fixed window: `cpuSeconds` per `windowSeconds`, counted
 * in Redis when there is one. A call dearer than the whole allowance could never pass: it is
 * refused at once, with both figures, and charged nothing. A refused call costs nothing, and
 * neither does one the service then turns away without computing anything (RESOURCE_EXHAUSTED
 * or UNAVAILABLE further in): its price is given back where it was charged.
 *
 * No call waits on Redis for its count longer than RATE_LIMIT_REDIS_BUDGET_MS, and none at all
 * once a stall is noticed: while Redis is unreachable, stalled or slow, each replica counts in
 * its own memory with the same allowance (allowance-charge.ts): neither unlimited access nor
 * every call refused, and with R replicas a client may get up to R allowances until Redis is
 * back.
 */
export function rateLimiting(deps: RateLimitingDeps): AnswererWrapper {
  const { config, priceMs, allowanceOf, redis, onLimited } = deps;
  // One pair per allowance: a fixed window's size is part of the limiter.
  const counters = new Map<number, AllowanceCounters>();
  const countersFor = (points: number): AllowanceCounters => {
    let pair = counters.get(points);
    if (pair === undefined) {
      const options = { points, duration: config.windowSeconds };
      pair = {
        memory: new RateLimiterMemory(options),
        redis:
          redis &&
          new RateLimiterRedis({
            ...options,
            storeClient: redis.connection,
            keyPrefix: `${redis.keyPrefix}:${points}`,
            rejectIfRedisNotReady: true,
          }),
      };
      counters.set(points, pair);
    }
    return pair;
  };
  const charger = new AllowanceCharger();
  const giveBack = (counter: RateLimiterAbstract, client: string, price: number): void => {
    counter.reward(client, price).catch(() => undefined);
  };
  return (next) =>
    async <M extends CalcMethod>(
      request: CalcRequest<M>,
      context: CallContext,
    ): Promise<CalcReply<M>> => {
      const { client } = context;
      const seconds = allowanceOf?.(client) ?? config.cpuSeconds;
      const points = Math.max(1, Math.round(seconds * 1000));
      const price = priceMs(request);
      const limit = `its rate limit of ${seconds} CPU seconds of estimated work per ${config.windowSeconds} s`;
      if (price > points) {
        onLimited?.(client);
        throw new ResourceExhaustedError(
          `"${client}" asked for ${(price / 1000).toFixed(3)} CPU seconds of estimated work in one call, more than ${limit}: it can never pass; ask for fewer or smaller n per call`,
        );
      }
      let charged: Charged;
      try {
        charged = await charger.charge(
          countersFor(points),
          client,
          price,
          redis?.responsive() === true,
        );
      } catch (error) {
        if (!(error instanceof AllowanceRefusal)) throw error;
        // The library counted the refused price: a refused call costs nothing.
        giveBack(error.counter, client, price);
        onLimited?.(client);
        const retryMs = error.refusal.msBeforeNext;
        const left = Math.max(0, points - (error.refusal.consumedPoints - price));
        throw new ResourceExhaustedError(
          `"${client}" is over ${limit} (this call: ${(price / 1000).toFixed(3)} s, left: ${(left / 1000).toFixed(3)} s); retry in ${(retryMs / 1000).toFixed(1)} s`,
          retryMs,
        );
      }
      try {
        return await next(request, context);
      } catch (error) {
        // Turned away before any work was done for it: nothing spent.
        if (error instanceof ResourceExhaustedError || error instanceof UnavailableError) {
          giveBack(charged, client, price);
        }
        throw error;
      }
    };
}
