// Every environment variable the bins read, with its default and a one-line meaning: the one
// list that each bin's --help prints, and that docs/configuration.md must match
// (test/config-variables.test.ts checks the doc's tables against it, and the defaults against
// the parsers). The doc holds the long explanations; this holds what a --help line needs.

/** The bins of @twelvefa/server (package.json "bin"). */
export const BIN_NAMES = [
  'twelvefa',
  'twelvefa-worker',
  'twelvefa-health',
  'twelvefa-dashboard',
  'twelvefa-events',
  'twelvefa-keys',
] as const;
export type BinName = (typeof BIN_NAMES)[number];

/**
 * What a variable is when unset: a value it then takes (`PORT` is 3000), or words for a default
 * that is no single value ("unset", "one per core"); words may hold Markdown code spans.
 */
export type UnsetDefault = { readonly value: string } | { readonly words: string };

/** One environment variable. */
export interface ConfigVariable {
  readonly name: string;
  readonly unset: UnsetDefault;
  /** What it sets, in one short line. */
  readonly meaning: string;
  /** The bins it configures. */
  readonly readBy: readonly BinName[];
  /** Bins that refuse to start without it. */
  readonly requiredBy?: readonly BinName[];
}

const API = 'twelvefa';
const WORKER = 'twelvefa-worker';
const DASHBOARD = 'twelvefa-dashboard';
const EVENTS = 'twelvefa-events';
const KEYS = 'twelvefa-keys';
const UNSET: UnsetDefault = { words: 'unset' };

/** In the order docs/configuration.md presents them. */
export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  // The API (config/api-config.ts)
  {
    name: 'PORT',
    unset: { value: '3000' },
    meaning: 'gRPC port; 0 picks a free one',
    readBy: [API],
  },
  { name: 'HOST', unset: { value: '0.0.0.0' }, meaning: 'interface to bind', readBy: [API] },
  {
    name: 'REDIS_URL',
    unset: UNSET,
    meaning: 'Redis server, redis:// or rediss://',
    readBy: [API, WORKER, DASHBOARD, EVENTS],
    requiredBy: [WORKER, DASHBOARD, EVENTS],
  },
  {
    name: 'REDIS_TLS_CA_FILE',
    unset: UNSET,
    meaning: 'PEM CA a rediss:// server is verified against',
    readBy: [API, WORKER, DASHBOARD, EVENTS],
  },
  {
    name: 'REDIS_COMMAND_TIMEOUT_MS',
    unset: { value: '2000' },
    meaning: "a call's Redis command fails after this long",
    readBy: [API],
  },
  {
    name: 'TLS_CERT_FILE',
    unset: UNSET,
    meaning: 'PEM certificate chain; set: serve TLS',
    readBy: [API],
  },
  { name: 'TLS_KEY_FILE', unset: UNSET, meaning: 'its PEM private key', readBy: [API] },
  {
    name: 'TLS_CLIENT_CA_FILE',
    unset: UNSET,
    meaning: 'PEM CA that client certificates need (mTLS)',
    readBy: [API],
  },
  {
    name: 'TLS_RELOAD_MS',
    unset: { value: '60000' },
    meaning: 'how often the TLS files are read again',
    readBy: [API],
  },
  {
    name: 'AUTH_KEYS_FILE',
    unset: UNSET,
    meaning: 'API keys file; set: calc.Calc calls need a key',
    readBy: [API, KEYS],
  },
  {
    name: 'AUTH_JWKS_URL',
    unset: UNSET,
    meaning: 'JWKS URL; set: JWTs it signs are accepted',
    readBy: [API],
  },
  { name: 'AUTH_JWT_ISSUER', unset: UNSET, meaning: 'the iss a JWT must carry', readBy: [API] },
  { name: 'AUTH_JWT_AUDIENCE', unset: UNSET, meaning: 'the aud a JWT must carry', readBy: [API] },
  {
    name: 'AUTH_JWT_REQUIRE_EXP',
    unset: { value: 'true' },
    meaning: 'true: a JWT without exp is refused',
    readBy: [API],
  },
  {
    name: 'AUTH_JWT_MAX_LIFETIME_S',
    unset: { value: '86400' },
    meaning: 'longest a JWT may live (exp - iat, exp - now)',
    readBy: [API],
  },
  {
    name: 'AUTH_KEYS_RELOAD_MS',
    unset: { value: '5000' },
    meaning: 'how often the keys file is read again',
    readBy: [API],
  },
  {
    name: 'RATE_LIMIT_CPU_SECONDS',
    unset: { words: 'unset (no limit)' },
    meaning: 'CPU seconds a client may spend per window',
    readBy: [API],
  },
  {
    name: 'RATE_LIMIT_WINDOW_SECONDS',
    unset: { value: '60' },
    meaning: 'the window the allowance refills over',
    readBy: [API],
  },
  {
    name: 'INLINE_MAX_N',
    unset: { value: '4000000' },
    meaning: 'n up to this is answered inline from the table',
    readBy: [API],
  },
  { name: 'MAX_N', unset: { value: '1e16' }, meaning: 'largest n served', readBy: [API] },
  {
    name: 'INLINE_MAX_X',
    unset: { value: '67867967' },
    meaning: 'x up to this is answered inline from the table',
    readBy: [API],
  },
  {
    name: 'MAX_X',
    unset: { value: '5e17' },
    meaning: 'largest x whose pi(x) is served',
    readBy: [API],
  },
  {
    name: 'MAX_BATCH',
    unset: { value: '1000' },
    meaning: 'most n in one NthPrimes call',
    readBy: [API],
  },
  {
    name: 'MAX_IN_FLIGHT',
    unset: { value: '64' },
    meaning: 'distinct heavy computations in flight at once',
    readBy: [API],
  },
  {
    name: 'RESULT_CACHE_SIZE',
    unset: { value: '10000' },
    meaning: 'finished heavy answers kept in memory',
    readBy: [API],
  },
  {
    name: 'REQUEST_TIMEOUT_MS',
    unset: { value: '60000' },
    meaning: 'deadline of a call whose client set none',
    readBy: [API],
  },
  {
    name: 'SHUTDOWN_GRACE_MS',
    unset: { value: '10000' },
    meaning: 'how long work in flight may finish on SIGTERM',
    readBy: [API, WORKER],
  },
  {
    name: 'LOG_LEVEL',
    unset: { value: 'info' },
    meaning: 'fatal, error, warn, info, debug, trace, silent',
    readBy: [API, WORKER, DASHBOARD, EVENTS],
  },
  {
    name: 'LOG_FORMAT',
    unset: { value: 'auto' },
    meaning: 'auto (pretty on a TTY), json or pretty',
    // Not twelvefa-events: its log goes to stderr as JSON, stdout being its output.
    readBy: [API, WORKER, DASHBOARD],
  },
  {
    name: 'EMBEDDED_THREADS',
    unset: { words: 'one per core' },
    meaning: 'threads computing heavy work without REDIS_URL',
    readBy: [API],
  },
  {
    name: 'GRPC_MAX_CONNECTION_AGE_MS',
    unset: { value: '300000' },
    meaning: 'connections close after this, to rebalance',
    readBy: [API],
  },
  {
    name: 'GRPC_MAX_CONNECTION_AGE_GRACE_MS',
    unset: { value: '60000' },
    meaning: 'time calls get on a connection past its age',
    readBy: [API],
  },
  {
    name: 'GRPC_KEEPALIVE_TIME_MS',
    unset: { value: '30000' },
    meaning: 'server keepalive ping interval',
    readBy: [API],
  },
  {
    name: 'GRPC_KEEPALIVE_TIMEOUT_MS',
    unset: { value: '10000' },
    meaning: 'unanswered pings close the connection after',
    readBy: [API],
  },
  {
    name: 'GRPC_MAX_CONCURRENT_STREAMS',
    unset: { value: '100' },
    meaning: 'calls one connection may have open at once',
    readBy: [API],
  },
  {
    name: 'HEALTH_WATCH_MAX_PER_CONNECTION',
    unset: { value: '16' },
    meaning: 'health Watch streams one connection may hold',
    readBy: [API],
  },
  // The queue and its jobs (config/process-config.ts, config/api-config.ts)
  {
    name: 'QUEUE_PREFIX',
    unset: { value: 'twelvefa' },
    meaning: 'BullMQ key prefix; API and workers must agree',
    readBy: [API, WORKER, DASHBOARD],
  },
  {
    name: 'QUEUE_NAME',
    unset: { value: 'nth-prime' },
    meaning: 'the job queue; API and workers must agree',
    readBy: [API, WORKER, DASHBOARD],
  },
  {
    name: 'JOB_ATTEMPTS',
    unset: { value: '3' },
    meaning: 'attempts of a job failing transiently',
    readBy: [API],
  },
  {
    name: 'JOB_BACKOFF_MS',
    unset: { value: '1000' },
    meaning: 'first retry delay, doubled on each retry',
    readBy: [API],
  },
  {
    name: 'JOB_KEEP_COMPLETED',
    unset: { value: '1000' },
    meaning: 'completed jobs kept in Redis',
    readBy: [API, WORKER],
  },
  {
    name: 'JOB_KEEP_FAILED',
    unset: { value: '1000' },
    meaning: 'failed jobs kept in Redis',
    readBy: [API, WORKER],
  },
  {
    name: 'QUEUE_PARALLELISM',
    unset: { value: '2' },
    meaning: 'least parallelism heavy work is planned for',
    readBy: [API],
  },
  // The worker (config/worker-config.ts)
  {
    name: 'WORKER_CONCURRENCY',
    unset: { value: '1' },
    meaning: 'jobs this process runs at once, one thread each',
    readBy: [WORKER],
  },
  {
    name: 'WORKER_NAME',
    unset: { words: '`host:pid`' },
    meaning: 'the name stored on each job it processes',
    readBy: [WORKER],
  },
  {
    name: 'WORKER_LOCK_DURATION_MS',
    unset: { value: '4000' },
    meaning: 'unrenewed job locks stall their job after this',
    readBy: [WORKER],
  },
  {
    name: 'WORKER_STALLED_INTERVAL_MS',
    unset: { value: '4000' },
    meaning: 'how often stalled jobs go back to the queue',
    readBy: [WORKER],
  },
  {
    name: 'WORKER_MAX_STALLED_COUNT',
    unset: { value: '2' },
    meaning: 'times a job may stall before it fails',
    readBy: [WORKER],
  },
  // The dashboard (dashboard/dashboard-config.ts)
  {
    name: 'DASHBOARD_PORT',
    unset: { value: '3001' },
    meaning: 'HTTP port; 0 picks a free one',
    readBy: [DASHBOARD],
  },
  {
    name: 'DASHBOARD_HOST',
    unset: { value: '127.0.0.1' },
    meaning: 'interface; beyond loopback needs credentials',
    readBy: [DASHBOARD],
  },
  { name: 'DASHBOARD_USER', unset: UNSET, meaning: 'basic auth user', readBy: [DASHBOARD] },
  {
    name: 'DASHBOARD_PASSWORD',
    unset: UNSET,
    meaning: 'basic auth password',
    readBy: [DASHBOARD],
  },
  {
    name: 'DASHBOARD_GENERATE_PASSWORD',
    unset: { value: 'false' },
    meaning: 'true: generate a password, kept in Redis',
    readBy: [DASHBOARD],
  },
  {
    name: 'DASHBOARD_ACTIONS',
    unset: { value: 'false' },
    meaning: 'true: allow retry, clean, promote and remove',
    readBy: [DASHBOARD],
  },
  {
    name: 'DASHBOARD_LOGIN_ATTEMPTS',
    unset: { value: '10' },
    meaning: 'wrong passwords per user and address before tries wait',
    readBy: [DASHBOARD],
  },
  {
    name: 'DASHBOARD_LOGIN_BACKOFF_MAX_S',
    unset: { value: '60' },
    meaning: 'longest wait between tries (back-off from 1 s)',
    readBy: [DASHBOARD],
  },
  {
    name: 'DASHBOARD_LOGIN_WINDOW_S',
    unset: { value: '900' },
    meaning: 'how long failed logins are remembered',
    readBy: [DASHBOARD],
  },
  {
    name: 'DASHBOARD_BASE_PATH',
    unset: { value: '/' },
    meaning: 'path the board is served under',
    readBy: [DASHBOARD],
  },
  // Metrics (metrics/metrics-config.ts)
  {
    name: 'METRICS_PORT',
    unset: UNSET,
    meaning: 'port of /metrics, /livez, /readyz; unset: off',
    readBy: [API, WORKER],
  },
  {
    name: 'METRICS_HOST',
    unset: { value: '0.0.0.0' },
    meaning: 'interface of the metrics endpoint',
    readBy: [API, WORKER],
  },
  // The event log (events/event-log-config.ts)
  {
    name: 'EVENT_LOG',
    unset: { value: 'true' },
    meaning: 'false: the API appends no events',
    readBy: [API],
  },
  {
    name: 'EVENT_STREAM',
    unset: { value: 'twelvefa:events' },
    meaning: 'the Redis Stream key of the event log',
    readBy: [API, EVENTS],
  },
  {
    name: 'EVENT_STREAM_MAX_LENGTH',
    unset: { value: '100000' },
    meaning: 'events kept, approximately',
    readBy: [API],
  },
  {
    name: 'EVENT_LOG_MAX_PENDING',
    unset: { value: '1000' },
    meaning: 'writes waiting for Redis before new ones drop',
    readBy: [API],
  },
  {
    name: 'EVENT_LOG_TIMEOUT_MS',
    unset: { value: '1000' },
    meaning: 'a write unacknowledged this long is lost',
    readBy: [API],
  },
  {
    name: 'EVENT_GROUP',
    unset: { value: 'twelvefa-events' },
    meaning: 'consumer group; its consumers share the events',
    readBy: [EVENTS],
  },
  {
    name: 'EVENT_CONSUMER',
    unset: { words: 'the host name' },
    meaning: "this reader's name in the group; keep stable",
    readBy: [EVENTS],
  },
  {
    name: 'EVENT_CLAIM_IDLE_MS',
    unset: { value: '30000' },
    meaning: 'take over events left unacknowledged this long',
    readBy: [EVENTS],
  },
];

/** The variables `bin` reads, in the table's order. */
export function variablesReadBy(bin: BinName): readonly ConfigVariable[] {
  return CONFIG_VARIABLES.filter((variable) => variable.readBy.includes(bin));
}

/** The Default cell of docs/configuration.md: a value as a code span, words as they are. */
export function documentedDefault({ unset }: ConfigVariable): string {
  return 'value' in unset ? `\`${unset.value}\`` : unset.words;
}
