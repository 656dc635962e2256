import type { Logger } from '../logger.js';
import type { RedisTarget } from '../redis/redis-connections.js';
import { type EventHandler, entriesOf, eventOf, type RawEntry } from './stream-entry.js';
import { type ReadOptions, StreamReader } from './stream-reader.js';

/** Options of a consumer-group subscriber (see event-log-config.ts for the variables). */
export interface EventSubscriberOptions {
  /** REDIS_URL and REDIS_TLS_CA_FILE. */
  readonly redis: RedisTarget;
  readonly stream: string;
  /** Subscribers in one group share the events: each is delivered to one of them. */
  readonly group: string;
  /** This subscriber's name in the group; a restart under the same name resumes its unacknowledged events. */
  readonly consumer: string;
  /** Events another consumer left unacknowledged this long are taken over (XAUTOCLAIM). */
  readonly claimIdleMs: number;
  /** Events read per round trip. */
  readonly batchSize: number;
  /** How long one blocking read waits for new events when following. */
  readonly blockMs: number;
}

function isBusyGroup(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('BUSYGROUP');
}

/**
 * The group (or the whole stream) is gone: Redis restarted without its data, or was flushed
 * (a read blocked at that moment ends UNBLOCKED, the next one NOGROUP).
 */
function isGroupGone(error: unknown): boolean {
  return error instanceof Error && /^(NOGROUP|UNBLOCKED)\b/.test(error.message);
}

/**
 * Reads the event stream as one consumer of a consumer group. Each event is
 * handed to one consumer of the group and acknowledged (XACK) once the handler
 * resolved, so delivery is at least once: an event whose handler never
 * finished (a crash) is redelivered to this consumer on restart, or claimed by
 * another after claimIdleMs. close() leaves events read but not yet handled
 * pending for the next run.
 */
export class EventSubscriber extends StreamReader {
  constructor(
    private readonly options: EventSubscriberOptions,
    logger: Logger,
  ) {
    super(
      options.redis,
      `${options.stream}:${options.group}:${options.consumer}`,
      'event subscriber',
      logger,
    );
  }

  /**
   * Delivers events to `handler` one at a time: first this consumer's own
   * unacknowledged ones, then those other consumers abandoned, then new ones.
   * Rejects when the handler throws (that event stays unacknowledged).
   */
  run(handler: EventHandler, options: ReadOptions): Promise<void> {
    return this.runOnce(() => this.loop(handler, options));
  }

  private async loop(handler: EventHandler, { follow }: ReadOptions): Promise<void> {
    await this.ensureGroup();
    await this.drainOwnPending(handler);
    await this.claimAbandoned(handler);
    let lastClaim = Date.now();
    while (!this.stopped) {
      try {
        if (follow && Date.now() - lastClaim >= this.options.claimIdleMs) {
          await this.claimAbandoned(handler);
          lastClaim = Date.now();
        }
        const entries = await this.readNew(follow);
        if (entries.length === 0 && !follow) return;
        await this.deliver(entries, handler);
      } catch (error) {
        if (!follow || !isGroupGone(error)) throw error;
        // Following outlives Redis: whatever the new stream gets is read from its start.
        this.logger.warn(
          { stream: this.options.stream, group: this.options.group },
          'the consumer group is gone (Redis restarted empty or was flushed); recreating it',
        );
        await this.ensureGroup();
      }
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      // A new group starts at the beginning of the stream: its first reader records everything kept.
      await this.connection.xgroup(
        'CREATE',
        this.options.stream,
        this.options.group,
        '0',
        'MKSTREAM',
      );
    } catch (error) {
      if (!isBusyGroup(error)) throw error;
    }
  }

  private async drainOwnPending(handler: EventHandler): Promise<void> {
    let after = '0';
    while (!this.stopped) {
      const entries = await this.readGroup(after);
      if (entries.length === 0) return;
      await this.deliver(entries, handler);
      after = entries[entries.length - 1]?.[0] ?? after;
    }
  }

  private async claimAbandoned(handler: EventHandler): Promise<void> {
    const { stream, group, consumer, batchSize, claimIdleMs } = this.options;
    let cursor = '0-0';
    do {
      const reply = (await this.connection.xautoclaim(
        stream,
        group,
        consumer,
        claimIdleMs,
        cursor,
        'COUNT',
        batchSize,
      )) as [string, RawEntry[], string[]?];
      cursor = reply[0];
      if (reply[1].length > 0) {
        this.logger.info({ count: reply[1].length }, 'claimed events another consumer left');
      }
      await this.deliver(reply[1], handler);
    } while (cursor !== '0-0' && !this.stopped);
  }

  /** One non-blocking read: this consumer's pending entries after `after`, or new ones for '>'. */
  private async readGroup(after: string): Promise<RawEntry[]> {
    const { stream, group, consumer, batchSize } = this.options;
    return entriesOf(
      await this.connection.xreadgroup(
        'GROUP',
        group,
        consumer,
        'COUNT',
        batchSize,
        'STREAMS',
        stream,
        after,
      ),
    );
  }

  private async readNew(follow: boolean): Promise<RawEntry[]> {
    if (!follow) return this.readGroup('>');
    const { stream, group, consumer, batchSize, blockMs } = this.options;
    return entriesOf(
      await this.blockingRead(() =>
        this.connection.xreadgroup(
          'GROUP',
          group,
          consumer,
          'COUNT',
          batchSize,
          'BLOCK',
          blockMs,
          'STREAMS',
          stream,
          '>',
        ),
      ),
    );
  }

  private async deliver(entries: readonly RawEntry[], handler: EventHandler): Promise<void> {
    for (const entry of entries) {
      // Stopping between events leaves the rest pending for the next run.
      if (this.stopped) return;
      const event = eventOf(entry, this.logger);
      if (event !== undefined) await handler(event);
      await this.connection.xack(this.options.stream, this.options.group, entry[0]);
    }
  }
}
