// Who waits for each job, across API replicas, kept in Redis so that a job is given up only
// when no replica waits for it any more, and a replica that dies stops waiting with it. Used by
// the API (shared-waits.ts: join, leave, heartbeat) and by the workers (replica-sweep.ts).
//
// Keys, under `<prefix>:<queue>:shared-waits:`:
// - `replicas`: sorted set of API replica ids, scored by when each counts as dead (Redis time,
//   ms) unless its heartbeat moves that on;
// - `job:<job id>`: the set of replicas waiting for that job;
// - `replica:<replica id>`: the set of jobs that replica waits for (so a dead one is swept);
// - `swept-at`, `quiet`: when the last sweep ran, and a pause of the sweeps after a gap.
// The scripts build the per-job and per-replica keys from the base, so the keys must live on
// one Redis node (as BullMQ's own do).
import type { Redis } from 'ioredis';

/** The keys of a queue's shared waits. */
export interface SharedWaitKeys {
  /** The prefix of every key (the scripts append to it). */
  readonly base: string;
  /** The prefix of BullMQ's job hashes (`<prefix>:<queue>:`), to tell a finished job. */
  readonly jobs: string;
  readonly replicas: string;
  readonly sweptAt: string;
  readonly quiet: string;
}

/** The keys of the shared waits of `queueName` under `prefix`. */
export function sharedWaitKeys(prefix: string, queueName: string): SharedWaitKeys {
  const base = `${prefix}:${queueName}:shared-waits:`;
  return {
    base,
    jobs: `${prefix}:${queueName}:`,
    replicas: `${base}replicas`,
    sweptAt: `${base}swept-at`,
    quiet: `${base}quiet`,
  };
}

// Redis's own clock, so replicas and workers on different machines agree on who is dead.
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

// Takes `who` off the waiters of `root`; true when no live replica waits for it any more.
const LEAVE_AS = `local function leaveAs(base, replicas, who, root, now)
  local key = base .. 'job:' .. root
  redis.call('SREM', key, who)
  redis.call('SREM', base .. 'replica:' .. who, root)
  for _, other in ipairs(redis.call('SMEMBERS', key)) do
    local until_ = redis.call('ZSCORE', replicas, other)
    if until_ and tonumber(until_) >= now then return false end
  end
  redis.call('DEL', key)
  return true
end
`;

/**
 * KEYS replicas; ARGV base, replica, alive-for ms, 'exact' or 'add', job hash prefix, job id...
 * Marks the replica alive for that long and adds it to the waiters of each job; with 'exact',
 * also takes it off every job it waited for that is not listed, and returns those that no live
 * replica waits for any more and that have not finished (to be given up).
 */
const HEARTBEAT = `${NOW}${LEAVE_AS}
local base, me, aliveFor, jobs = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[5]
redis.call('ZADD', KEYS[1], now + aliveFor, me)
local mine = base .. 'replica:' .. me
local listed = {}
for i = 6, #ARGV do
  listed[ARGV[i]] = true
  redis.call('SADD', base .. 'job:' .. ARGV[i], me)
  redis.call('SADD', mine, ARGV[i])
end
local orphaned = {}
if ARGV[4] ~= 'exact' then return orphaned end
for _, root in ipairs(redis.call('SMEMBERS', mine)) do
  if not listed[root] and leaveAs(base, KEYS[1], me, root, now)
      and redis.call('HEXISTS', jobs .. root, 'finishedOn') == 0 then
    table.insert(orphaned, root)
  end
end
return orphaned
`;

/** KEYS replicas; ARGV base, replica, job id. 1 when no live replica waits for the job any more. */
const LEAVE = `${NOW}${LEAVE_AS}
return leaveAs(ARGV[1], KEYS[1], ARGV[2], ARGV[3], now) and 1 or 0
`;

/**
 * KEYS replicas, swept-at, quiet; ARGV base, gap ms, quiet ms, job hash prefix. Takes every
 * replica past its time off the waiters of its jobs and returns the unfinished jobs nobody live
 * waits for. After a gap between sweeps longer than `gap` (Redis was paused, or no worker ran)
 * every replica looks dead: the sweeps pause for `quiet` ms, time for the live ones to beat.
 */
const SWEEP = `${NOW}${LEAVE_AS}
local base, gap, quiet, jobs = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
redis.call('SET', KEYS[2], now, 'PX', 600000)
if last > 0 and now - last > gap then redis.call('SET', KEYS[3], 1, 'PX', quiet) end
if last == 0 or redis.call('EXISTS', KEYS[3]) == 1 then return {} end
local abandoned = {}
for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)) do
  redis.call('ZREM', KEYS[1], dead)
  local theirs = base .. 'replica:' .. dead
  for _, root in ipairs(redis.call('SMEMBERS', theirs)) do
    if leaveAs(base, KEYS[1], dead, root, now) and redis.call('EXISTS', jobs .. root) == 1
        and redis.call('HEXISTS', jobs .. root, 'finishedOn') == 0 then
      table.insert(abandoned, root)
    end
  end
  redis.call('DEL', theirs)
end
return abandoned
`;

/**
 * Marks `replica` alive for `aliveForMs` and waiting for `ids`. With `exact`, it also leaves every
 * job it waited for that is not in `ids`, and returns those nobody live waits for any more.
 */
export async function heartbeat(
  redis: Redis,
  keys: SharedWaitKeys,
  replica: string,
  aliveForMs: number,
  ids: readonly string[],
  exact: boolean,
): Promise<string[]> {
  return (await redis.eval(
    HEARTBEAT,
    1,
    keys.replicas,
    keys.base,
    replica,
    aliveForMs,
    exact ? 'exact' : 'add',
    keys.jobs,
    ...ids,
  )) as string[];
}

/** Takes `replica` off the waiters of job id; true when no live replica waits for it any more. */
export async function leave(
  redis: Redis,
  keys: SharedWaitKeys,
  replica: string,
  id: string,
): Promise<boolean> {
  return (await redis.eval(LEAVE, 1, keys.replicas, keys.base, replica, id)) === 1;
}

/** Sweeps the replicas past their time (see SWEEP); returns the job ids nobody waits for. */
export async function sweep(
  redis: Redis,
  keys: SharedWaitKeys,
  gapMs: number,
  quietMs: number,
): Promise<string[]> {
  return (await redis.eval(
    SWEEP,
    3,
    keys.replicas,
    keys.sweptAt,
    keys.quiet,
    keys.base,
    gapMs,
    quietMs,
    keys.jobs,
  )) as string[];
}
