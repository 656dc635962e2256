import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * A dashboard password that needs no set-up (DASHBOARD_GENERATE_PASSWORD, as Compose uses it):
 * made at the first start and kept in Redis, beside the queue it guards, so a restart or a
 * second dashboard uses the same one and nothing secret is committed. Whoever can read that
 * key can already change every job, so it adds no exposure. The password is logged once, when
 * it is made; later starts log where it is. DASHBOARD_PASSWORD, when set, wins.
 */
export async function generatedPassword(
  redis: Redis,
  key: string,
  user: string,
  logger: Logger,
): Promise<string> {
  const candidate = randomBytes(18).toString('base64url');
  // SET NX: of two dashboards starting at once, one makes the password and both use it.
  if ((await redis.set(key, candidate, 'NX')) === 'OK') {
    logger.warn(
      { user, password: candidate, redisKey: key },
      'dashboard password generated; it is logged only now (read it again from Redis at redisKey, or set DASHBOARD_PASSWORD)',
    );
    return candidate;
  }
  const kept = await redis.get(key);
  if (kept === null) throw new Error(`the dashboard password at ${key} vanished; restart`);
  logger.info({ user, redisKey: key }, 'dashboard password: the one generated at the first start');
  return kept;
}

/** Where the generated password lives: under the queue's prefix. */
export function generatedPasswordKey(queuePrefix: string): string {
  return `${queuePrefix}:dashboard:password`;
}
