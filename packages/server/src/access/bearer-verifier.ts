import type { JwtConfig } from '../config.js';
import type { ApiKeyEntry } from './api-keys.js';
import type { TokenVerifier } from './authenticating.js';
import { createJwtVerifier, looksLikeJwt } from './jwt-verifier.js';

/**
 * The one verifier of bearer tokens the API authenticates with: a JWT (three dotted parts)
 * goes to the identity provider's keys, anything else is looked up as an API key; a kind that
 * is not configured proves nobody. Undefined when neither is configured: no authentication.
 */
export function bearerVerifier(
  keys: { lookup(key: string): ApiKeyEntry | undefined } | undefined,
  jwt: JwtConfig | undefined,
): TokenVerifier | undefined {
  if (keys === undefined && jwt === undefined) return undefined;
  const verifyJwt = jwt === undefined ? undefined : createJwtVerifier(jwt);
  return (token) => (looksLikeJwt(token) ? verifyJwt?.(token) : keys?.lookup(token));
}
