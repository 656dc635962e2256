import type { AnswererWrapper, CallContext } from '../answerer.js';
import { PermissionDeniedError, UnauthenticatedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ApiKeyEntry } from './api-keys.js';

/** Where the wrapper looks keys up (ApiKeyStore). */
export interface KeyLookup {
  lookup(key: string): ApiKeyEntry | undefined;
}

/** Told about each refused call, for a metric: why it was refused. */
export type RefusalListener = (reason: 'missing' | 'unknown' | 'forbidden') => void;

/** The same call, now known to come from `client`: the signal stays lazy. */
function asClient(context: CallContext, client: string): CallContext {
  return {
    requestId: context.requestId,
    method: context.method,
    deadline: context.deadline,
    peer: context.peer,
    credential: undefined,
    client,
    get signal() {
      return context.signal;
    },
    ...(context.onProgress !== undefined && { onProgress: context.onProgress }),
  };
}

/**
 * A wrapper that lets through only calls with a known API key (`authorization: Bearer <key>`)
 * that allows their method: no key or an unknown one is UNAUTHENTICATED, a key without the
 * method PERMISSION_DENIED. What is inside sees the key's client as `context.client`, and no
 * credential. Refusals are logged at info with the peer and request id, never the key.
 */
export function authenticating(
  keys: KeyLookup,
  logger: Logger,
  onRefused?: RefusalListener,
): AnswererWrapper {
  return (next) => (request, context) => {
    const refuse = (reason: 'missing' | 'unknown' | 'forbidden', client?: string): void => {
      onRefused?.(reason);
      logger.info(
        {
          requestId: context.requestId,
          method: context.method,
          peer: context.peer,
          client,
          reason,
        },
        'call refused',
      );
    };
    if (context.credential === undefined) {
      refuse('missing');
      throw new UnauthenticatedError(
        'this server needs an API key: send "authorization: Bearer <key>" (calcli: --api-key)',
      );
    }
    const entry = keys.lookup(context.credential);
    if (entry === undefined) {
      refuse('unknown');
      throw new UnauthenticatedError(
        'the API key is not valid (revoked, mistyped or for another server)',
      );
    }
    if (!entry.methods.includes(context.method)) {
      refuse('forbidden', entry.client);
      throw new PermissionDeniedError(
        `the key of "${entry.client}" may not call ${context.method} (it allows ${entry.methods.join(', ')})`,
      );
    }
    return next(request, asClient(context, entry.client));
  };
}
