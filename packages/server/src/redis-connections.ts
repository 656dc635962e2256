import { Redis, type RedisOptions } from 'ioredis';

// The Redis connections of every process but the event log's writer (event-log.ts), which
// bounds its own waits. Per BullMQ's production guidance, commands that answer someone fail
// fast while Redis is away (no offline queue, one retry), so a request becomes UNAVAILABLE and
// a dashboard page an error instead of hanging; blocking connections (workers, queue events,
// event-log readers) retry forever.

function reconnectDelay(times: number): number {
  return Math.min(times * 200, 2000);
}

/** For the API's Queue and FlowProducer and the dashboard: commands fail at once while Redis is down. */
export function createProducerConnection(url: string, name: string): Redis {
  const options: RedisOptions = {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
  };
  return new Redis(url, options);
}

/** For workers, QueueEvents and event-log readers: maxRetriesPerRequest null, as BullMQ requires. */
export function createBlockingConnection(
  url: string,
  name: string,
  options: { readonly lazy?: boolean } = {},
): Redis {
  return new Redis(url, {
    connectionName: name,
    lazyConnect: options.lazy === true,
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelay,
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
