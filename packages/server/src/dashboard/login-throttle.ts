// How fast the dashboard's password can be guessed, counted in Redis so that every dashboard
// process shares one count: per user and per client address, each failure past the allowance
// making the next try wait twice as long (1 s, 2 s, 4 s ... up to a cap). Guessing from many
// addresses at many processes then gets no more tries than from one, and the operator is kept
// out at most the cap after the last guess; an address the user has logged in from before is
// held only to its own failures, so a guesser elsewhere cannot keep the operator out at all.
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import type { Redis } from 'ioredis';

/** How many wrong logins are allowed, and how long they are remembered and waited for. */
export interface LoginThrottleConfig {
  /** DASHBOARD_LOGIN_ATTEMPTS: failures per user and per address before each try must wait. */
  readonly attempts: number;
  /** DASHBOARD_LOGIN_WINDOW_S: how long failures are remembered after the last one. */
  readonly windowSeconds: number;
  /** DASHBOARD_LOGIN_BACKOFF_MAX_S: the longest wait between tries (the back-off's cap). */
  readonly maxBackoffSeconds: number;
}

/** Where the counts live: a connection that fails fast while Redis is away, and a key prefix. */
export interface LoginThrottleStore {
  readonly connection: Redis;
  readonly keyPrefix: string;
}

/** The first wait; each further failure doubles it, up to the cap. */
const FIRST_WAIT_MS = 1000;
/** How long an address the user logged in from is trusted to try at its own pace. */
const KNOWN_ADDRESS_MS = 30 * 86_400_000;

// Both scripts take KEYS: user failures, user wait, address failures, address wait, known
// address. One script per decision, so that concurrent tries at any process cannot both pass.

/**
 * A try: refused with the milliseconds left to wait while the address waits, or the user does
 * (unless this address is known for it); else counted as a failure until it proves right,
 * starting the next wait once past the allowance: of the address, and of the user unless the
 * address is known for it (its tries are the address's own business). Returns 0 to go on with
 * the user counted, -1 to go on without. ARGV: attempts, first wait ms, cap ms, window ms.
 */
const ATTEMPT = `
local known = redis.call('EXISTS', KEYS[5]) == 1
local wait = redis.call('PTTL', KEYS[4])
if not known then wait = math.max(wait, redis.call('PTTL', KEYS[2])) end
if wait > 0 then return wait end
local first = 1
if known then first = 3 end
for i = first, 3, 2 do
  local failures = redis.call('INCR', KEYS[i])
  redis.call('PEXPIRE', KEYS[i], ARGV[4])
  local past = failures - tonumber(ARGV[1])
  if past >= 0 then
    local ms = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * 2 ^ past)
    redis.call('SET', KEYS[i + 1], '1', 'PX', math.floor(ms))
  end
end
if known then return -1 end
return 0`;

/**
 * A try that was right: takes back its count from the user if it was counted, and the wait
 * that count started (any earlier one had passed, or the try would not have been checked),
 * clears the address, and remembers it as known for the user. The user's other failures stay,
 * so a guesser's back-off goes on from where it was. ARGV: known address ms, 1 if the user
 * was counted.
 */
const SUCCEEDED = `
if ARGV[2] == '1' then
  if redis.call('DECR', KEYS[1]) <= 0 then redis.call('DEL', KEYS[1]) end
  redis.call('DEL', KEYS[2])
end
redis.call('DEL', KEYS[3], KEYS[4])
redis.call('SET', KEYS[5], '1', 'PX', ARGV[1])
return 0`;

/** A claimed try: how long it must wait first (0: check it now), and what it was counted on. */
export interface LoginTry {
  readonly waitMs: number;
  /** Whether it counts against the user (not from an address known for it). */
  readonly countedUser: boolean;
}

/**
 * The part of an address that names a client: an IPv4 address, or an IPv6 /64 (one host
 * usually holds a whole /64, so counting single IPv6 addresses would count nothing).
 */
export function addressKey(address: string): string {
  const bare = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!isIPv6(bare)) return bare;
  const [head = '', tail = ''] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = bare.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, '').toLowerCase())
    .join(':')}::/64`;
}

const hashed = (value: string): string =>
  createHash('sha256').update(value).digest('hex').slice(0, 32);

/** The shared login throttle of every dashboard process. */
export class LoginThrottle {
  constructor(
    private readonly store: LoginThrottleStore,
    private readonly config: LoginThrottleConfig,
  ) {}

  /**
   * Claims a try for `user` (the configured user's name, or "*" for any other: no name gets a
   * count of its own) from `address`. Throws when Redis cannot be reached.
   */
  async attempt(user: string, address: string): Promise<LoginTry> {
    const answer = await this.store.connection.eval(
      ATTEMPT,
      5,
      ...this.keys(user, address),
      this.config.attempts,
      FIRST_WAIT_MS,
      this.config.maxBackoffSeconds * 1000,
      this.config.windowSeconds * 1000,
    );
    const waitMs = Number(answer);
    return { waitMs: Math.max(0, waitMs), countedUser: waitMs === 0 };
  }

  /** The claimed try was right. */
  async succeeded(user: string, address: string, claimed: LoginTry): Promise<void> {
    await this.store.connection.eval(
      SUCCEEDED,
      5,
      ...this.keys(user, address),
      KNOWN_ADDRESS_MS,
      claimed.countedUser ? 1 : 0,
    );
  }

  private keys(user: string, address: string): string[] {
    const prefix = this.store.keyPrefix;
    const who = hashed(user);
    const where = addressKey(address);
    return [
      `${prefix}:user:${who}:failures`,
      `${prefix}:user:${who}:wait`,
      `${prefix}:address:${where}:failures`,
      `${prefix}:address:${where}:wait`,
      `${prefix}:known:${who}:${where}`,
    ];
  }
}
