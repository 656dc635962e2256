import { ConfigError, type Environment, EnvReader } from '../config/env-reader.js';
import {
  type LogConfig,
  type QueueConfig,
  readLogging,
  readQueue,
  readRedis,
} from '../config/process-config.js';
import type { RedisTarget } from '../redis/redis-connections.js';
import type { LoginThrottleConfig } from './login-throttle.js';

/** True for an address that only this machine can reach. */
function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Basic auth credentials of the dashboard. */
export interface DashboardCredentials {
  readonly user: string;
  readonly password: string;
}

/** The dashboard's variables, parsed once. See docs/configuration.md. */
export interface DashboardConfig extends LogConfig, QueueConfig {
  /** REDIS_URL (required) and REDIS_TLS_CA_FILE: the queue's Redis. */
  readonly redis: RedisTarget;
  /** DASHBOARD_PORT: the HTTP port; 0 picks a free one. Default 3001. */
  readonly port: number;
  /** DASHBOARD_HOST: the interface to bind. Default 127.0.0.1: anything else needs credentials. */
  readonly host: string;
  /** DASHBOARD_BASE_PATH: the path the board is served under, e.g. /queues behind a proxy. Default /. */
  readonly basePath: string;
  /** DASHBOARD_USER and DASHBOARD_PASSWORD: basic auth; unset means no auth (loopback only). */
  readonly credentials: DashboardCredentials | undefined;
  /**
   * DASHBOARD_GENERATE_PASSWORD without DASHBOARD_PASSWORD: the user (DASHBOARD_USER, default
   * "operator") whose password is generated at the first start and kept in Redis
   * (generated-password.ts). Undefined otherwise.
   */
  readonly generatedPasswordUser: string | undefined;
  /** DASHBOARD_ACTIONS: allow retry, clean, promote and remove. Default false (read-only). */
  readonly actions: boolean;
  /**
   * DASHBOARD_LOGIN_ATTEMPTS (default 10) failed logins per user and per client address, then
   * each try waits 1 s, 2 s, 4 s ... up to DASHBOARD_LOGIN_BACKOFF_MAX_S (default 60); failures
   * are forgotten DASHBOARD_LOGIN_WINDOW_S (default 900) after the last (login-throttle.ts).
   */
  readonly loginThrottle: LoginThrottleConfig;
}

/**
 * Parses the dashboard's variables; throws ConfigError naming each bad one,
 * including a non-loopback DASHBOARD_HOST without credentials (given or generated): the board
 * refuses to start exposed to the network without auth.
 */
export function parseDashboardConfig(env: Environment): DashboardConfig {
  const read = new EnvReader(env);
  const redis = readRedis(read, true);
  const host = read.string('DASHBOARD_HOST', '127.0.0.1', /^[^\s]+$/, 'a host name or IP address');
  const basePath = read.string(
    'DASHBOARD_BASE_PATH',
    '/',
    /^\/([A-Za-z0-9_.~-]+\/?)*$/,
    'a path starting with /, e.g. /queues',
  );
  const user = read.secret('DASHBOARD_USER');
  const password = read.secret('DASHBOARD_PASSWORD');
  const generate = read.boolean('DASHBOARD_GENERATE_PASSWORD', false) && password === undefined;
  // With a generated password there will be credentials: DASHBOARD_USER alone is fine.
  if (!generate && (user === undefined) !== (password === undefined)) {
    read.problem('DASHBOARD_USER and DASHBOARD_PASSWORD must be set together');
  } else if (!generate && user === undefined && !isLoopbackHost(host)) {
    read.problem(
      `DASHBOARD_HOST ${JSON.stringify(host)} is not a loopback address: set DASHBOARD_USER and DASHBOARD_PASSWORD (or DASHBOARD_GENERATE_PASSWORD), or bind 127.0.0.1`,
    );
  }
  if (user?.includes(':'))
    read.problem('DASHBOARD_USER must not contain ":" (basic auth splits on it)');
  const config = {
    ...readLogging(read),
    ...readQueue(read),
    port: read.integer('DASHBOARD_PORT', { min: 0, max: 65_535, fallback: 3001 }),
    host,
    basePath: basePath.length > 1 ? basePath.replace(/\/$/, '') : basePath,
    credentials:
      user !== undefined && password !== undefined ? Object.freeze({ user, password }) : undefined,
    generatedPasswordUser: generate ? (user ?? 'operator') : undefined,
    actions: read.boolean('DASHBOARD_ACTIONS', false),
    loginThrottle: Object.freeze({
      attempts: read.integer('DASHBOARD_LOGIN_ATTEMPTS', { min: 1, max: 10_000, fallback: 10 }),
      windowSeconds: read.integer('DASHBOARD_LOGIN_WINDOW_S', {
        min: 1,
        max: 86_400,
        fallback: 900,
      }),
      maxBackoffSeconds: read.integer('DASHBOARD_LOGIN_BACKOFF_MAX_S', {
        min: 1,
        max: 3600,
        fallback: 60,
      }),
    }),
  };
  if (read.problems.length > 0 || redis === undefined) throw new ConfigError(read.problems);
  return Object.freeze({ ...config, redis });
}
