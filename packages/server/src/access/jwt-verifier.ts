import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { JwtConfig } from '../config/api-config.js';
import { UnauthenticatedError, UnavailableError } from '../errors.js';
import { CALC_METHODS, type CalcMethod } from '../request/calc-calls.js';
import type { Identity } from './authenticating.js';
import { jwtClient } from './client-identity.js';

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

/** How far apart the provider's clock and ours may be, in seconds. */
const CLOCK_TOLERANCE_S = 5;

/** A subject the logs, Redis keys and metrics can carry: printable, and not a novel. */
const SUBJECT = /^[\x21-\x7e][\x20-\x7e]{0,255}$/;

/**
 * Verifies JWTs with jose against the provider's JWKS (fetched when first needed and when a
 * token names a key not seen yet, at most every 30 s): signature, issuer, audience, expiry
 * and not-before, with 5 s of clock tolerance. A token must expire (unless requireExp is off),
 * and within maxLifetimeSeconds, both of its issue (exp - iat) and of now (exp - now): a stolen
 * token that never expires is a password nobody can change. The identity is
 * `jwt:<issuer>/<sub>` (client-identity.ts), never an API-key client's name. A token that
 * fails is UNAUTHENTICATED, saying why (expired, no expiry, lives too long, wrong audience,
 * bad signature); a JWKS that cannot be fetched is UNAVAILABLE: the client's token may be
 * fine, and a retry may pass.
 */
export function createJwtVerifier(config: JwtConfig): (token: string) => Promise<Identity> {
  const keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000 });
  return async (token) => {
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
      }));
    } catch (error) {
      throw refusalOf(error);
    }
    checkLifetime(payload, config);
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new UnauthenticatedError('the token has no subject (sub)');
    }
    if (!SUBJECT.test(payload.sub)) {
      throw new UnauthenticatedError(
        'the token’s subject (sub) must be 1-256 printable ASCII characters',
      );
    }
    return { client: jwtClient(config.issuer, payload.sub), methods: methodsOf(payload.scope) };
  };
}

/** Refuses a token without an expiry (when one is required) or valid for too long. */
function checkLifetime(
  payload: { readonly exp?: number; readonly iat?: number },
  config: JwtConfig,
): void {
  const { exp, iat } = payload;
  if (exp === undefined) {
    if (config.requireExp) {
      throw new UnauthenticatedError(
        'the token has no expiry (exp): this server accepts only tokens that expire (AUTH_JWT_REQUIRE_EXP)',
      );
    }
    return;
  }
  const max = config.maxLifetimeSeconds;
  const now = Math.floor(Date.now() / 1000);
  const lifetimes = [
    ...(iat === undefined ? [] : [{ what: 'exp - iat', seconds: exp - iat }]),
    { what: 'exp - now', seconds: exp - now },
  ];
  for (const { what, seconds } of lifetimes) {
    if (seconds > max + CLOCK_TOLERANCE_S) {
      throw new UnauthenticatedError(
        `the token is valid for too long (${what} = ${seconds} s; this server accepts at most ${max} s, AUTH_JWT_MAX_LIFETIME_S)`,
      );
    }
  }
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
