import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { type RedisTarget, redisTlsOptions } from '../redis/redis-connections.js';
import { type CalcEvent, encodeEvent } from './calc-event.js';

/** Why an event did not reach the stream. */
export type EventLossReason = 'unavailable' | 'timeout' | 'overflow' | 'error';

/** Told of every write (for metrics); must not throw. */
export interface EventLogMonitor {
  eventWritten(type: CalcEvent['type']): void;
  eventLost(reason: EventLossReason): void;
}

/** Options of the event log (see event-log-config.ts for the variables). */
export interface EventLogOptions {
  /** REDIS_URL and REDIS_TLS_CA_FILE. */
  readonly redis: RedisTarget;
  /** The stream key. */
  readonly stream: string;
  /** Approximate bound of the stream (XADD MAXLEN ~). */
  readonly maxLength: number;
  /** Writes waiting for Redis at once; an event beyond this is dropped and counted. */
  readonly maxPending: number;
  /**
   * A write not acknowledged within this many ms is counted as lost; while
   * Redis is (re)connecting, an event waits this long for it.
   */
  readonly timeoutMs: number;
}

/** How often, at most, a run of lost events is logged. */
const LOSS_LOG_INTERVAL_MS = 10_000;

function lossReason(error: unknown): EventLossReason {
  const message = error instanceof Error ? error.message : '';
  if (/timed out/i.test(message)) return 'timeout';
  if (/enableOfflineQueue|Connection is closed|not writeable/i.test(message)) return 'unavailable';
  return 'error';
}

/**
 * Appends events to a bounded Redis Stream, fire and forget: append() never
 * blocks, throws or waits for Redis. An event waits at most timeoutMs for a
 * connection (start-up, reconnect) and for its write, and at most maxPending
 * events wait at once; an event that cannot be written in time, or finds the
 * buffer full, is dropped, counted through the monitor and logged (at most
 * once per 10 s), and the request it describes is answered as usual.
 */
export class EventLog {
  private readonly connection: Redis;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly readyWaiters = new Set<() => void>();
  private lostSinceLog = 0;
  private lastLossLog = 0;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: EventLogOptions,
    private readonly logger: Logger,
    private readonly monitor?: EventLogMonitor,
  ) {
    // ioredis's own offline queue is unbounded: events wait in connected()
    // instead, bounded by maxPending and timeoutMs; commandTimeout bounds a
    // write to a Redis that accepted the connection but hangs.
    this.connection = new Redis(options.redis.url, {
      ...redisTlsOptions(options.redis),
      connectionName: `${options.stream}:writer`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: options.timeoutMs,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.connection.on('error', (error: Error) =>
      logger.debug({ err: error }, 'event log redis error'),
    );
    this.connection.on('ready', () => {
      for (const wake of this.readyWaiters) wake();
      this.readyWaiters.clear();
    });
  }

  /** Resolves when connected; after timeoutMs rejects, so a start-up or a reconnect holds events briefly, not forever. */
  private connected(): Promise<void> {
    if (this.connection.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.readyWaiters.delete(wake);
        reject(new Error('Connection is closed: Redis not reachable within EVENT_LOG_TIMEOUT_MS'));
      }, this.options.timeoutMs);
      this.readyWaiters.add(wake);
    });
  }

  /** Resolves once connected; for start-up logs and tests, never needed before append(). */
  async waitUntilReady(): Promise<void> {
    if (this.connection.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const onReady = (): void => {
        this.connection.off('end', onEnd);
        resolve();
      };
      const onEnd = (): void => {
        this.connection.off('ready', onReady);
        reject(new Error('the event log connection ended'));
      };
      this.connection.once('ready', onReady);
      this.connection.once('end', onEnd);
    });
  }

  /** Writes waiting for Redis now. */
  pendingCount(): number {
    return this.inFlight.size;
  }

  /** Queues `event` for the stream; returns at once whatever happens to the write. */
  append(event: CalcEvent): void {
    if (this.closing !== undefined) {
      this.lose('unavailable', undefined);
      return;
    }
    if (this.inFlight.size >= this.options.maxPending) {
      this.lose('overflow', undefined);
      return;
    }
    const { stream, maxLength } = this.options;
    const write = this.connected()
      .then(() =>
        this.connection.xadd(stream, 'MAXLEN', '~', maxLength, '*', ...encodeEvent(event)),
      )
      .then(
        () => this.monitor?.eventWritten(event.type),
        (error: unknown) =>
          // A write cut off by a dropped connection fails in several ways; all mean Redis is away.
          this.lose(this.connection.status === 'ready' ? lossReason(error) : 'unavailable', error),
      )
      .finally(() => this.inFlight.delete(write));
    this.inFlight.add(write);
  }

  private lose(reason: EventLossReason, error: unknown): void {
    this.monitor?.eventLost(reason);
    this.lostSinceLog += 1;
    const now = Date.now();
    if (now - this.lastLossLog < LOSS_LOG_INTERVAL_MS) return;
    this.logger.warn(
      { reason, lost: this.lostSinceLog, stream: this.options.stream, err: error },
      'events lost: the event log could not write to Redis',
    );
    this.lastLossLog = now;
    this.lostSinceLog = 0;
  }

  /** Lets writes in flight finish (each is bounded by timeoutMs), then disconnects. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    try {
      if (this.connection.status === 'ready') await this.connection.quit();
      else this.connection.disconnect();
    } catch {
      this.connection.disconnect();
    }
  }
}
