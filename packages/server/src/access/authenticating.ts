import { PermissionDeniedError, UnauthenticatedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Answer, AnswererWrapper } from '../request/answerer.js';
import type { CalcMethod, CalcRequest } from '../request/calc-calls.js';
import type { CallContext } from '../request/call-context.js';

/** Who a bearer token proves the caller is, and what it may call. */
export interface Identity {
  /** `key:<name>` or `jwt:<issuer>/<sub>` (client-identity.ts): the kinds never share a name. */
  readonly client: string;
  readonly methods: readonly CalcMethod[];
}

/**
 * Checks a bearer token: the identity it proves, or undefined for a token nobody issued; a
 * promise when checking waits (a JWT's signing keys). Throws UnauthenticatedError to say why
 * a token is refused (expired, for another audience), or UnavailableError when it cannot be
 * checked now.
 */
export type TokenVerifier = (token: string) => Identity | undefined | Promise<Identity | undefined>;

/** Why a call was refused, for a metric. */
export type RefusalReason = 'missing' | 'unknown' | 'invalid' | 'forbidden';

/** Told about each refused call, for a metric: why it was refused. */
export type RefusalListener = (reason: RefusalReason) => void;

/** The same call, now known to come from `client`, its credential spent. */
function asClient(context: CallContext, client: string): CallContext {
  return { call: context.call, credential: undefined, client };
}

/**
 * A wrapper that lets through only calls whose bearer token (`authorization: Bearer <token>`:
 * an API key, or a JWT when one is configured) `verify` accepts and whose identity allows
 * the method: no token, an unknown one or a refused one is UNAUTHENTICATED, a method the
 * identity does not have PERMISSION_DENIED. What is inside sees the identity's client as
 * `context.client`, and no credential. Refusals are logged at info with the peer and request
 * id, never the token. A call with an API key stays synchronous.
 */
export function authenticating(
  verify: TokenVerifier,
  logger: Logger,
  onRefused?: RefusalListener,
): AnswererWrapper {
  return (next) =>
    <M extends CalcMethod>(request: CalcRequest<M>, context: CallContext): Answer<M> => {
      const refuse = (reason: RefusalReason, detail?: { client?: string; problem?: string }) => {
        onRefused?.(reason);
        logger.info(
          {
            requestId: context.call.requestId,
            method: context.call.rpc,
            peer: context.call.peer,
            reason,
            ...detail,
          },
          'call refused',
        );
      };
      const admit = (identity: Identity | undefined): Answer<M> => {
        if (identity === undefined) {
          refuse('unknown');
          throw new UnauthenticatedError(
            'the API key or token is not valid (revoked, mistyped or for another server)',
          );
        }
        if (!identity.methods.includes(request.method)) {
          refuse('forbidden', { client: identity.client });
          throw new PermissionDeniedError(
            `"${identity.client}" may not call ${request.method} (it may call ${identity.methods.join(', ') || 'nothing'})`,
          );
        }
        return next(request, asClient(context, identity.client));
      };
      const rejected = (error: unknown): never => {
        if (error instanceof UnauthenticatedError) refuse('invalid', { problem: error.message });
        throw error;
      };
      if (context.credential === undefined) {
        refuse('missing');
        throw new UnauthenticatedError(
          'this server needs an API key or a token: send "authorization: Bearer <key or token>" (calcli: --api-key)',
        );
      }
      let verified: ReturnType<TokenVerifier>;
      try {
        verified = verify(context.credential);
      } catch (error) {
        return rejected(error);
      }
      return verified instanceof Promise ? verified.then(admit, rejected) : admit(verified);
    };
}
