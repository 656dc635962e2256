import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { PrimeTarget } from './prime-target.js';
import type { SharedWaitKeys } from './shared-wait-scripts.js';
import { estimatedSeconds } from './work-estimate.js';

/** A client's backlog key lives this long after its last change (its replicas refresh it). */
const KEPT_MS = 60_000;

/**
 * KEYS backlog hash, replicas; ARGV replica, its ms, kept ms. Sets this replica's field (or
 * drops it at 0) and returns the ms of the live replicas' other fields: the client's work in
 * flight elsewhere (a dead replica's field is ignored, and goes with the key).
 */
const PUBLISH = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local me, mine = ARGV[1], tonumber(ARGV[2])
if mine > 0 then
  redis.call('HSET', KEYS[1], me, mine)
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
else
  redis.call('HDEL', KEYS[1], me)
end
local others = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local until_ = redis.call('ZSCORE', KEYS[2], fields[i])
  if fields[i] ~= me and until_ and tonumber(until_) >= now then
    others = others + tonumber(fields[i + 1])
  end
end
return others
`;

/**
 * Each client's heavy work in flight, shared by the API replicas through Redis, so that fair
 * sharing holds across them: a client spreading its batches over several replicas queues them
 * behind all of its work, not only what one replica started. Each replica keeps its own share
 * of a client's backlog (estimated ms) in one field of the client's hash, updated as it starts
 * and ends work, and reads the others' when it queues a batch.
 */
export class ClientBacklog {
  private readonly local = new Map<string, number>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: SharedWaitKeys,
    /** This replica's id among the replicas (SharedWaits.replica). */
    private readonly replica: string,
    private readonly logger: Logger,
  ) {}

  /** Counts targets as `client`'s work in flight here until `ended` is called for each. */
  started(client: string, targets: readonly PrimeTarget[]): void {
    const ms = targets.reduce((sum, target) => sum + estimatedSeconds(target) * 1000, 0);
    this.local.set(client, (this.local.get(client) ?? 0) + ms);
  }

  /** target of `client` is answered, failed or given up here. */
  ended(client: string, target: PrimeTarget): void {
    const left = (this.local.get(client) ?? 0) - estimatedSeconds(target) * 1000;
    if (left > 0.5) this.local.set(client, left);
    else this.local.delete(client);
    this.publishSoon(client);
  }

  /**
   * Publishes this replica's backlog of `client` and resolves the seconds of its work in flight
   * on the other live replicas; 0 when Redis cannot say (fair sharing then holds per replica).
   */
  async elsewhere(client: string): Promise<number> {
    try {
      return (await this.publish(client)) / 1000;
    } catch (error) {
      this.logger.debug({ err: error, client }, 'could not read the backlog of a client');
      return 0;
    }
  }

  private publishSoon(client: string): void {
    if (this.pending.has(client)) return;
    this.pending.add(client);
    setImmediate(() => {
      this.pending.delete(client);
      this.publish(client).catch((error: unknown) =>
        this.logger.debug({ err: error, client }, 'could not publish the backlog of a client'),
      );
    });
  }

  private async publish(client: string): Promise<number> {
    const ms = Math.round(this.local.get(client) ?? 0);
    const key = `${this.keys.base}backlog:${client}`;
    return Number(
      await this.redis.eval(PUBLISH, 2, key, this.keys.replicas, this.replica, ms, KEPT_MS),
    );
  }
}
