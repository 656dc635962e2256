import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { CALC_METHODS, type CalcMethod } from '../calc-request.js';
import type { JwtConfig } from '../config.js';
import { UnauthenticatedError, UnavailableError } from '../errors.js';
import type { Identity } from './authenticating.js';

/** A bearer token shaped like a JWT (three base64url parts); an API key has no dots. */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

const SCOPE_PREFIX = 'calc.';

/**
 * The methods a token's `scope` (space-separated, OAuth 2.0's convention) allows: `calc` for
 * every method, `calc.Add` and the like for one; a token without a scope may call every method,
 * as an API key without `methods` may.
 */
function methodsOf(scope: unknown): readonly CalcMethod[] {
  if (scope === undefined) return CALC_METHODS;
  if (typeof scope !== 'string')
    throw new UnauthenticatedError('the token’s scope is not a string');
  const granted = scope.split(/\s+/);
  if (granted.includes('calc')) return CALC_METHODS;
  return CALC_METHODS.filter((method) => granted.includes(`${SCOPE_PREFIX}${method}`));
}

/**
 * Verifies JWTs with jose against the provider's JWKS (fetched when first needed and when a
 * token names a key not seen yet, at most every 30 s): signature, issuer, audience, expiry
 * and not-before, with 5 s of clock tolerance. The identity is the token's `sub`. A token that
 * fails is UNAUTHENTICATED, saying why (expired, wrong audience, bad signature); a JWKS that
 * cannot be fetched is UNAVAILABLE: the client's token may be fine, and a retry may pass.
 */
export function createJwtVerifier(config: JwtConfig): (token: string) => Promise<Identity> {
  const keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000 });
  return async (token) => {
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: 5,
      }));
    } catch (error) {
      throw refusalOf(error);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new UnauthenticatedError('the token has no subject (sub)');
    }
    return { client: payload.sub, methods: methodsOf(payload.scope) };
  };
}

function refusalOf(error: unknown): Error {
  if (error instanceof errors.JWTExpired) return new UnauthenticatedError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new UnauthenticatedError(`the token is not for this server: ${error.message}`);
  }
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    return new UnavailableError(
      'cannot verify tokens now: the identity provider’s keys are unreachable; retry',
    );
  }
  return new UnauthenticatedError(`the token is not valid: ${error.message}`);
}
