import { Redis, type RedisOptions } from 'ioredis';

// Per BullMQ's production guidance: the producer side fails fast when Redis is
// away (no offline queue, one retry), so a request becomes UNAVAILABLE instead
// of hanging; blocking connections (workers, queue events) retry forever.

function reconnectDelay(times: number): number {
  return Math.min(times * 200, 2000);
}

/** Connection for Queue and FlowProducer on the API side: commands fail at once while Redis is down. */
export function createProducerConnection(url: string, name: string): Redis {
  const options: RedisOptions = {
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
  };
  return new Redis(url, options);
}

/** Connection for workers, QueueEvents and subscribers: maxRetriesPerRequest null, as BullMQ requires. */
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
