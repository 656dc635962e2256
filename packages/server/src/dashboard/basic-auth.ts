import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';
import type { DashboardCredentials } from './dashboard-config.js';
import type { LoginThrottle, LoginTry } from './login-throttle.js';

function digest(value: string): Buffer {
  // Equal-length digests let timingSafeEqual compare secrets of any length.
  return createHash('sha256').update(value).digest();
}

const same = (given: string, expected: string): boolean =>
  timingSafeEqual(digest(given), digest(expected));

/** The user and password of an `Authorization: Basic` header, if it carries any. */
function basicCredentials(header: string | undefined): DashboardCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Any name but the configured user's is counted as one: no name gets an allowance of its own. */
const OTHER_USER = '*';

/**
 * Express middleware answering 401 with a Basic challenge unless the request carries the
 * credentials. Every try is claimed from `throttle` first (login-throttle.ts: shared by every
 * dashboard process through Redis, per user and per address), so a try that must wait is
 * answered 429 with Retry-After, right password or not, and never checked; a request without
 * credentials is no try, and is only challenged. While Redis cannot be reached no try is
 * checked: 503 with Retry-After.
 */
export function basicAuth(
  expected: DashboardCredentials,
  realm: string,
  throttle: LoginThrottle,
  logger: Logger,
): RequestHandler {
  const challenge = (response: Response): void => {
    response
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`)
      .type('text/plain')
      .send('authentication required\n');
  };
  return async (request, response, next) => {
    const given = basicCredentials(request.headers.authorization);
    if (given === undefined) {
      challenge(response);
      return;
    }
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const user = same(given.user, expected.user) ? expected.user : OTHER_USER;
    let claimed: LoginTry;
    try {
      claimed = await throttle.attempt(user, address);
    } catch (error) {
      logger.warn({ err: error }, 'cannot reach Redis to count a login; refusing it');
      response
        .status(503)
        .set('Retry-After', '5')
        .type('text/plain')
        .send('cannot check logins now (Redis is unreachable); retry\n');
      return;
    }
    if (claimed.waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(claimed.waitMs / 1000));
      response
        .status(429)
        .set('Retry-After', String(seconds))
        .type('text/plain')
        .send(`too many failed logins for this user or from this address; retry in ${seconds} s\n`);
      return;
    }
    if (user === expected.user && same(given.password, expected.password)) {
      // A success the throttle failed to hear of would only leave this try counted: let it in.
      await throttle
        .succeeded(user, address, claimed)
        .catch((error: unknown) => logger.warn({ err: error }, 'cannot record a login'));
      next();
      return;
    }
    challenge(response);
  };
}
