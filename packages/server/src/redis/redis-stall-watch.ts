import type { Redis } from 'ioredis';
import { UnavailableError } from '../errors.js';
import { isCommandTimeout, redisUnavailable } from './redis-failure.js';

/** How often the connection is pinged. */
const PING_EVERY_MS = 1000;
/** A ping unanswered for this long means Redis has stalled. */
const STALLED_AFTER_MS = 2000;

/**
 * Whether Redis answers on a connection. A stalled Redis (paused, swapping, stuck in a long
 * script) keeps its TCP connection open, so ioredis stays `ready` and only the commands hang:
 * this pings every second, and a ping unanswered for 2 s marks the connection stalled until a
 * ping is answered again. A stall is thus noticed within 3 s; a closed connection is left to
 * its own `ready` and `close` events.
 */
export class RedisStallWatch {
  private pingSentAt: number | undefined;
  private stalled = false;
  private readonly listeners = new Set<(responsive: boolean) => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly connection: Redis) {
    this.timer = setInterval(() => this.tick(), PING_EVERY_MS);
    this.timer.unref();
  }

  /** False from 2 s into a stall until Redis answers again. */
  get responsive(): boolean {
    return !this.stalled;
  }

  /** How long the ping in flight has waited, in ms (0 when none waits). */
  get waitingMs(): number {
    return this.pingSentAt === undefined ? 0 : performance.now() - this.pingSentAt;
  }

  /**
   * Calls listener now and whenever it changes with whether Redis answers: connected and not
   * stalled. Returns the stop.
   */
  watchAnswering(listener: (answering: boolean) => void): () => void {
    const tell = (): void => listener(this.connection.status === 'ready' && !this.stalled);
    this.connection.on('ready', tell);
    this.connection.on('close', tell);
    this.listeners.add(tell);
    tell();
    return () => {
      this.connection.off('ready', tell);
      this.connection.off('close', tell);
      this.listeners.delete(tell);
    };
  }

  /** Why `doing` something in Redis would fail now (unreachable, or stalled); undefined if it would not. */
  unanswered(doing: string): UnavailableError | undefined {
    if (this.connection.status !== 'ready') return redisUnavailable(undefined, doing, false);
    if (!this.stalled) return undefined;
    const waited = (this.waitingMs / 1000).toFixed(1);
    return new UnavailableError(
      `Redis is not answering (stalled, no reply for ${waited} s): ${doing}; retry`,
    );
  }

  /** A command on this connection timed out: Redis is stalled, without waiting for the ping. */
  noteTimeout(): void {
    this.set(true);
  }

  stop(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }

  private tick(): void {
    if (this.pingSentAt !== undefined) {
      if (this.waitingMs >= STALLED_AFTER_MS) this.set(true);
      return;
    }
    if (this.connection.status !== 'ready') {
      // Not connected: the connection's own events say so; a stall is over when it reconnects.
      this.set(false);
      return;
    }
    const sentAt = performance.now();
    this.pingSentAt = sentAt;
    const ended = (stalled: boolean | undefined): void => {
      if (this.pingSentAt !== sentAt) return;
      this.pingSentAt = undefined;
      if (stalled !== undefined) this.set(stalled);
    };
    // The connection's command timeout (redis-failure.ts) says stalled; a dropped connection
    // says nothing its own events do not.
    this.connection.ping().then(
      () => ended(false),
      (error: unknown) => ended(isCommandTimeout(error) ? true : undefined),
    );
  }

  private set(stalled: boolean): void {
    if (this.stalled === stalled) return;
    this.stalled = stalled;
    for (const listener of this.listeners) listener(!stalled);
  }
}
