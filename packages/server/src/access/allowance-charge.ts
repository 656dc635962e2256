import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * The longest a call waits for Redis to count it: past this it is counted in this process's
 * memory instead (a healthy Redis answers in about a millisecond).
 */
export const RATE_LIMIT_REDIS_BUDGET_MS = 200;

/** One allowance's counters: in this process, and in Redis when there is one. */
export interface AllowanceCounters {
  readonly memory: RateLimiterAbstract;
  readonly redis: RateLimiterAbstract | undefined;
}

/** Where a price was charged, so that it can be given back there. */
export type Charged = RateLimiterAbstract;

/** A refusal, and where it was counted (the library counts a refused price too). */
export class AllowanceRefusal {
  constructor(
    readonly refusal: RateLimiterRes,
    readonly counter: RateLimiterAbstract,
  ) {}
}

const LATE = Symbol('late');

/**
 * Charges prices to allowances: in Redis when it answers within RATE_LIMIT_REDIS_BUDGET_MS,
 * else in memory, so no call waits on a slow, stalled or lost Redis longer than that, and only
 * the calls of the first moment wait at all: once one count is overdue, the next go to memory
 * until Redis answers it.
 */
export class AllowanceCharger {
  private overdue = false;

  /**
   * Charges `price` to `key`, in Redis unless `useRedis` is false. Resolves the counter charged;
   * rejects with AllowanceRefusal when over the allowance. A Redis answer that comes after the
   * budget is not wasted: a refusal there is given back.
   */
  async charge(
    counters: AllowanceCounters,
    key: string,
    price: number,
    useRedis: boolean,
  ): Promise<Charged> {
    const { memory, redis } = counters;
    if (redis !== undefined && useRedis && !this.overdue) {
      const inRedis = redis.consume(key, price);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<typeof LATE>((resolve) => {
        // Late only once the replies that arrived meanwhile were read: after a pause of this
        // process (a long GC) the timer fires before the socket is, and Redis may have answered.
        timer = setTimeout(() => setImmediate(() => resolve(LATE)), RATE_LIMIT_REDIS_BUDGET_MS);
      });
      try {
        if ((await Promise.race([inRedis, late])) !== LATE) return redis;
        this.overdue = true;
        inRedis.then(
          () => {
            this.overdue = false;
          },
          (error: unknown) => {
            this.overdue = false;
            if (error instanceof RateLimiterRes) redis.reward(key, price).catch(() => undefined);
          },
        );
      } catch (error) {
        if (error instanceof RateLimiterRes) throw new AllowanceRefusal(error, redis);
        // Redis failed (unreachable, out of memory): counted here instead.
      } finally {
        clearTimeout(timer);
      }
    }
    try {
      await memory.consume(key, price);
      return memory;
    } catch (error) {
      if (error instanceof RateLimiterRes) throw new AllowanceRefusal(error, memory);
      throw error;
    }
  }
}
