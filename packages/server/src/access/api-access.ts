// Who may call the API, and how much, put together from the config: the API keys file and
// JWTs behind one verifier of bearer tokens, and the rate limit with its Redis connection.
// run-api.ts hands the result to the answerer and closes it on shutdown.

import type { ApiConfig } from '../config/api-config.js';
import type { Logger } from '../logger.js';
import {
  closeConnection,
  createProducerConnection,
  readyWithin,
} from '../redis/redis-connections.js';
import { RedisStallWatch } from '../redis/redis-stall-watch.js';
import type { CalcRequest } from '../request/calc-calls.js';
import type { RequestLimits } from '../request/request-checks.js';
import { ApiKeyStore } from './api-key-store.js';
import type { TokenVerifier } from './authenticating.js';
import { callPriceMs } from './call-price.js';
import { keyClient, keyClientName } from './client-identity.js';
import { createJwtVerifier, looksLikeJwt } from './jwt-verifier.js';
import type { RateLimitingDeps } from './rate-limiting.js';

/** The API's access control; each part undefined when it is off. */
export interface ApiAccess {
  /** Checks bearer tokens (AUTH_KEYS_FILE, AUTH_JWKS_URL). */
  readonly verify: TokenVerifier | undefined;
  /** The rate limit (RATE_LIMIT_CPU_SECONDS), without its metric. */
  readonly rateLimit: Omit<RateLimitingDeps, 'onLimited'> | undefined;
  /** Resolves once the rate limit's Redis is reachable, or after a few seconds anyway. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** How long a start waits for the rate limiter's Redis before serving anyway. */
const LIMITER_READY_MS = 3000;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The access control `config` asks for. Reads the keys file now and throws ConfigError when it
 * cannot be read or parsed, so a bad file stops the start before anything else is opened.
 * Without keys or JWTs it logs one warning when the API listens beyond loopback.
 */
export function createApiAccess(
  config: ApiConfig,
  limits: RequestLimits,
  logger: Logger,
): ApiAccess {
  const keys =
    config.authKeysFile === undefined
      ? undefined
      : new ApiKeyStore(config.authKeysFile, config.authKeysReloadMs, logger);
  if (keys !== undefined) {
    logger.info({ path: config.authKeysFile, keys: keys.size }, 'authentication on');
  }
  if (config.jwt !== undefined) {
    logger.info({ issuer: config.jwt.issuer, jwks: config.jwt.jwksUrl }, 'JWTs accepted');
  }
  if (keys === undefined && config.jwt === undefined && !LOOPBACK.has(config.host)) {
    logger.warn(
      { host: config.host },
      'authentication is off and the API listens beyond loopback: anyone who reaches it may call it (set AUTH_KEYS_FILE or AUTH_JWKS_URL)',
    );
  }
  const verifyJwt = config.jwt === undefined ? undefined : createJwtVerifier(config.jwt);
  // A JWT (three dotted parts) goes to the identity provider's keys, anything else is looked up
  // as an API key; a kind that is not configured proves nobody. Each kind names its clients in
  // its own namespace (client-identity.ts).
  const lookupKey = (token: string) => {
    const entry = keys?.lookup(token);
    return entry && { client: keyClient(entry.client), methods: entry.methods };
  };
  const verify: TokenVerifier | undefined =
    keys === undefined && verifyJwt === undefined
      ? undefined
      : (token) => (looksLikeJwt(token) ? verifyJwt?.(token) : lookupKey(token));

  // Its own connection, failing fast while Redis is away (the limiter then counts in memory).
  const limiterRedis =
    config.rateLimit !== undefined && config.redis !== undefined
      ? createProducerConnection(
          config.redis,
          `${config.queuePrefix}:rate-limit`,
          config.redisCommandTimeoutMs,
        )
      : undefined;
  // A stalled Redis keeps its connection open: the watch sends the counts to memory meanwhile.
  const limiterWatch = limiterRedis && new RedisStallWatch(limiterRedis);
  const rateLimit =
    config.rateLimit === undefined
      ? undefined
      : {
          config: config.rateLimit,
          priceMs: (request: CalcRequest) => callPriceMs(request, limits),
          // A key's own rate limit belongs to key clients only, never to a JWT's namesake.
          ...(keys && {
            allowanceOf: (client: string) => {
              const name = keyClientName(client);
              return name === undefined ? undefined : keys.allowanceOf(name);
            },
          }),
          ...(limiterRedis &&
            limiterWatch && {
              redis: {
                connection: limiterRedis,
                keyPrefix: `${config.queuePrefix}:rate-limit`,
                responsive: () => limiterWatch.responsive,
              },
            }),
        };

  return {
    verify,
    rateLimit,
    ready: async () => {
      // Calls counted before the limiter reaches Redis would get this replica's own allowance.
      if (limiterRedis) await readyWithin(limiterRedis, LIMITER_READY_MS);
    },
    close: async () => {
      keys?.close();
      limiterWatch?.stop();
      if (limiterRedis) await closeConnection(limiterRedis);
    },
  };
}
