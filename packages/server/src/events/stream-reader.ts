import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import {
  closeConnection,
  createBlockingConnection,
  type RedisTarget,
} from '../redis/redis-connections.js';

/** How a reader's run() reads: both readers take the same options. */
export interface ReadOptions {
  /** Keep waiting for new events; otherwise return once none are left. */
  readonly follow: boolean;
}

/**
 * What every reader of the event stream shares: a blocking Redis connection of its own, one run
 * at a time, and a close() that stops after the event being handled, cuts a blocking read short
 * and disconnects.
 */
export abstract class StreamReader {
  protected readonly connection: Redis;
  protected stopped = false;
  private blocking = false;
  private running: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  /** `kind` names the reader in errors and logs ("event replay", "event subscriber"). */
  protected constructor(
    redis: RedisTarget,
    connectionName: string,
    private readonly kind: string,
    protected readonly logger: Logger,
  ) {
    this.connection = createBlockingConnection(redis, connectionName);
    this.connection.on('error', (error: Error) =>
      logger.warn({ err: error }, `${kind} redis error`),
    );
  }

  /** Runs `loop` once; its failure after close() is not reported. */
  protected runOnce(loop: () => Promise<void>): Promise<void> {
    if (this.running !== undefined) throw new Error(`the ${this.kind} is already running`);
    this.running = loop().catch((error: unknown) => {
      if (!this.stopped) throw error;
    });
    return this.running;
  }

  /** Awaits a blocking read, which close() cuts short rather than waiting up to its timeout. */
  protected async blockingRead<T>(read: () => Promise<T>): Promise<T> {
    this.blocking = true;
    try {
      return await read();
    } finally {
      this.blocking = false;
    }
  }

  /** Stops after the event being handled and disconnects. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.blocking) this.connection.disconnect();
    // A run that failed has already reported it to its caller.
    await this.running?.catch(() => undefined);
    await closeConnection(this.connection);
  }
}
