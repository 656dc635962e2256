import type { Logger } from '../logger.js';
import type { RedisTarget } from '../redis/redis-connections.js';
import { type EventHandler, entriesOf, eventOf, type RawEntry } from './stream-entry.js';
import { type ReadOptions, StreamReader } from './stream-reader.js';

/** Options of a replay. */
export interface EventReplayOptions {
  /** REDIS_URL and REDIS_TLS_CA_FILE. */
  readonly redis: RedisTarget;
  readonly stream: string;
  /** The first stream id to deliver (inclusive); "0" is the oldest event kept, "$" only new ones. */
  readonly from: string;
  readonly batchSize: number;
  readonly blockMs: number;
}

/**
 * Reads the stream from an id without a consumer group: a replay changes no
 * group's position and acknowledges nothing, so it can be run any number of
 * times, e.g. to rebuild a read model.
 */
export class EventReplay extends StreamReader {
  constructor(
    private readonly options: EventReplayOptions,
    logger: Logger,
  ) {
    super(options.redis, `${options.stream}:replay`, 'event replay', logger);
  }

  /** Delivers every event from `from` on, in stream order; resolves at the end unless following. */
  run(handler: EventHandler, { follow }: ReadOptions): Promise<void> {
    return this.runOnce(() => this.loop(handler, follow));
  }

  private async loop(handler: EventHandler, follow: boolean): Promise<void> {
    const { stream, batchSize, blockMs } = this.options;
    let last = this.options.from === '$' ? await this.lastId() : undefined;
    let start = last === undefined ? this.options.from : `(${last}`;
    while (!this.stopped) {
      const entries = (await this.connection.xrange(
        stream,
        start,
        '+',
        'COUNT',
        batchSize,
      )) as RawEntry[];
      if (entries.length > 0) {
        last = await this.deliver(entries, handler);
        start = `(${last}`;
        continue;
      }
      if (!follow) return;
      const reply = await this.blockingRead(() =>
        this.connection.xread(
          'COUNT',
          batchSize,
          'BLOCK',
          blockMs,
          'STREAMS',
          stream,
          last ?? this.exclusiveBefore(this.options.from),
        ),
      );
      const next = entriesOf(reply);
      if (next.length > 0) {
        last = await this.deliver(next, handler);
        start = `(${last}`;
      }
    }
  }

  /** XREAD takes the id after which to read: the id just before an inclusive start. */
  private exclusiveBefore(id: string): string {
    const match = /^(\d+)(?:-(\d+))?$/.exec(id);
    if (match === null) return '0-0';
    const ms = BigInt(match[1] ?? '0');
    const seq = BigInt(match[2] ?? '0');
    if (seq > 0n) return `${ms}-${seq - 1n}`;
    return ms > 0n ? `${ms - 1n}-18446744073709551615` : '0-0';
  }

  private async lastId(): Promise<string> {
    const newest = (await this.connection.xrevrange(
      this.options.stream,
      '+',
      '-',
      'COUNT',
      1,
    )) as RawEntry[];
    return newest[0]?.[0] ?? '0-0';
  }

  private async deliver(entries: readonly RawEntry[], handler: EventHandler): Promise<string> {
    let last = entries[0]?.[0] ?? '0-0';
    for (const entry of entries) {
      if (this.stopped) break;
      const event = eventOf(entry, this.logger);
      if (event !== undefined) await handler(event);
      last = entry[0];
    }
    return last;
  }
}
