import { hostname } from 'node:os';
import { ConfigError, type Environment, EnvReader, KEY_PART } from '../config/env-reader.js';
import { type LogConfig, readLogLevel, readRedis } from '../config/process-config.js';
import type { RedisTarget } from '../redis/redis-connections.js';

/** The API's event log (the writer), parsed once. See docs/configuration.md and docs/event-store.md. */
export interface EventLogConfig {
  /** EVENT_LOG: append command and outcome events (needs REDIS_URL). Default true. */
  readonly enabled: boolean;
  /** EVENT_STREAM: the Redis Stream key. Default "twelvefa:events". */
  readonly stream: string;
  /** EVENT_STREAM_MAX_LENGTH: events kept, approximately (XADD MAXLEN ~). Default 100000. */
  readonly maxLength: number;
  /** EVENT_LOG_MAX_PENDING: writes waiting for Redis before new events are dropped. Default 1000. */
  readonly maxPending: number;
  /** EVENT_LOG_TIMEOUT_MS: a write unacknowledged this long counts as lost. Default 1000. */
  readonly timeoutMs: number;
}

/** The `twelvefa-events` reader's configuration: where the stream is and who reads it. */
export interface EventReaderConfig extends LogConfig {
  /** REDIS_URL (required) and REDIS_TLS_CA_FILE. */
  readonly redis: RedisTarget;
  /** EVENT_STREAM: the Redis Stream key. Default "twelvefa:events". */
  readonly stream: string;
  /** EVENT_GROUP: the consumer group of twelvefa-events. Default "twelvefa-events". */
  readonly group: string;
  /** EVENT_CONSUMER: this subscriber's name in the group; keep it stable across restarts. Default the host name. */
  readonly consumer: string;
  /** EVENT_CLAIM_IDLE_MS: events another consumer left unacknowledged this long are taken over. Default 30000. */
  readonly claimIdleMs: number;
}

const DAY_MS = 86_400_000;
const NAME = 'letters, digits, _ . : or -';

function readStream(read: EnvReader): string {
  return read.string('EVENT_STREAM', 'twelvefa:events', KEY_PART, NAME);
}

/** Parses the API's event log variables; throws ConfigError naming each bad one. */
export function parseEventLogConfig(env: Environment): EventLogConfig {
  const read = new EnvReader(env);
  const config: EventLogConfig = {
    enabled: read.boolean('EVENT_LOG', true),
    stream: readStream(read),
    maxLength: read.integer('EVENT_STREAM_MAX_LENGTH', {
      min: 1,
      max: 1_000_000_000,
      fallback: 100_000,
    }),
    maxPending: read.integer('EVENT_LOG_MAX_PENDING', { min: 1, max: 1_000_000, fallback: 1000 }),
    timeoutMs: read.integer('EVENT_LOG_TIMEOUT_MS', { min: 1, max: DAY_MS, fallback: 1000 }),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

/**
 * Parses the event reader's variables (its logs go to stderr as JSON, so LOG_FORMAT is not
 * read); throws ConfigError naming each bad one.
 */
export function parseEventReaderConfig(env: Environment): EventReaderConfig {
  const read = new EnvReader(env);
  const redis = readRedis(read, true);
  const config = {
    ...readLogLevel(read),
    stream: readStream(read),
    group: read.string('EVENT_GROUP', 'twelvefa-events', KEY_PART, NAME),
    consumer: read.string(
      'EVENT_CONSUMER',
      hostname().replace(/[^A-Za-z0-9_.:-]/g, '_'),
      KEY_PART,
      NAME,
    ),
    claimIdleMs: read.integer('EVENT_CLAIM_IDLE_MS', { min: 1, max: DAY_MS, fallback: 30_000 }),
  };
  if (read.problems.length > 0 || redis === undefined) throw new ConfigError(read.problems);
  return Object.freeze({ ...config, redis });
}
