import { readFileSync } from 'node:fs';
import { Redis, type RedisOptions } from 'ioredis';

// The Redis connections of every process but the event log's writer (event-log.ts), which
// bounds its own waits. Per BullMQ's production guidance, commands that answer someone fail
// fast while Redis is away (no offline queue, one retry) or stalled (a command timeout), so a
// request becomes UNAVAILABLE and a dashboard page an error instead of hanging; blocking
// connections (workers, queue events, event-log readers) retry forever and have no command
// timeout, since their blocking reads wait on purpose.

/** Where Redis is: its URL, and for rediss:// the CA to verify it against (REDIS_TLS_CA_FILE). */
export interface RedisTarget {
  readonly url: string;
  readonly tlsCaFile?: string | undefined;
}

function reconnectDelay(times: number): number {
  return Math.min(times * 200, 2000);
}

/**
 * The TLS options of a connection to `target`: ioredis turns TLS on for a rediss:// URL by
 * itself, verifying against the system's CAs; with a CA file, against that CA (read when the
 * connection is created: a rotated CA takes a restart).
 */
export function redisTlsOptions(target: RedisTarget): Pick<RedisOptions, 'tls'> {
  if (target.tlsCaFile === undefined || !target.url.startsWith('rediss://')) return {};
  return { tls: { ca: readFileSync(target.tlsCaFile) } };
}

/** A command on a request path that Redis has not answered after this long fails (REDIS_COMMAND_TIMEOUT_MS). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

/**
 * For the API's Queue and FlowProducer, its rate limiter and the dashboard: commands fail at
 * once while Redis is down, and after `commandTimeoutMs` while it is stalled.
 */
export function createProducerConnection(
  target: RedisTarget,
  name: string,
  commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
): Redis {
  const options: RedisOptions = {
    ...redisTlsOptions(target),
    connectionName: name,
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
  };
  return new Redis(target.url, options);
}

/** For workers, QueueEvents and event-log readers: maxRetriesPerRequest null, as BullMQ requires. */
export function createBlockingConnection(
  target: RedisTarget,
  name: string,
  options: { readonly lazy?: boolean } = {},
): Redis {
  return new Redis(target.url, {
    ...redisTlsOptions(target),
    connectionName: name,
    lazyConnect: options.lazy === true,
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
  });
}

/** Resolves once the connection is ready, or after `ms` if it is not by then: true if ready. */
export function readyWithin(connection: Redis, ms: number): Promise<boolean> {
  if (connection.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      connection.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), ms);
    connection.once('ready', onReady);
  });
}

/** Closes a connection whatever its state; never throws. */
export async function closeConnection(connection: Redis): Promise<void> {
  try {
    if (connection.status === 'ready') await connection.quit();
    else connection.disconnect();
  } catch {
    connection.disconnect();
  }
}
