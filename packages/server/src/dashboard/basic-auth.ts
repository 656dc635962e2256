import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
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

/** Express middleware answering 401 with a Basic challenge unless the request carries the credentials. */
export function basicAuth(expected: DashboardCredentials, realm: string): RequestHandler {
  return (request, response, next) => {
    if (hasCredentials(request.headers.authorization, expected)) {
      next();
      return;
    }
    response
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`)
      .type('text/plain')
      .send('authentication required\n');
  };
}
