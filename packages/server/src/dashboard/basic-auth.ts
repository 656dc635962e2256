import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { DashboardCredentials } from './dashboard-config.js';

function digest(value: string): Buffer {
  // Equal-length digests let timingSafeEqual compare secrets of any length.
  return createHash('sha256').update(value).digest();
}

/** True when an Authorization header carries exactly these credentials. */
function hasCredentials(header: string | undefined, expected: DashboardCredentials): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = timingSafeEqual(digest(decoded.slice(0, colon)), digest(expected.user));
  const passwordOk = timingSafeEqual(digest(decoded.slice(colon + 1)), digest(expected.password));
  return userOk && passwordOk;
}

/** How many wrong logins a client address may try before it is refused for a while. */
export interface LoginThrottle {
  /** Failed logins allowed per address within `windowSeconds`. */
  readonly attempts: number;
  /** The window the failures are counted over, and how long an address is then refused. */
  readonly windowSeconds: number;
}

/**
 * Express middleware answering 401 with a Basic challenge unless the request carries the
 * credentials. An address that fails `throttle.attempts` times within the window is answered
 * 429 with Retry-After until the window has passed, right credentials or not, so a password
 * cannot be guessed at full speed; a success clears its count. The counts live in this process.
 */
export function basicAuth(
  expected: DashboardCredentials,
  realm: string,
  throttle: LoginThrottle,
): RequestHandler {
  const failures = new RateLimiterMemory({
    points: throttle.attempts,
    duration: throttle.windowSeconds,
    blockDuration: throttle.windowSeconds,
  });
  const refuse = (response: Parameters<RequestHandler>[1], waitMs: number): void => {
    response
      .status(429)
      .set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))))
      .type('text/plain')
      .send('too many failed logins from this address; retry later\n');
  };
  return async (request, response, next) => {
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const seen = await failures.get(address);
    if (seen !== null && seen.consumedPoints >= throttle.attempts) {
      refuse(response, seen.msBeforeNext);
      return;
    }
    if (hasCredentials(request.headers.authorization, expected)) {
      if (seen !== null) await failures.delete(address);
      next();
      return;
    }
    try {
      await failures.consume(address);
    } catch (limited) {
      if (!(limited instanceof RateLimiterRes)) throw limited;
      refuse(response, limited.msBeforeNext);
      return;
    }
    response
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`)
      .type('text/plain')
      .send('authentication required\n');
  };
}
