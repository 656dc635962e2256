import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/env-reader.js';
import { parseDashboardConfig } from '../src/dashboard/dashboard-config.js';
import { parseEventLogConfig, parseEventReaderConfig } from '../src/events/event-log-config.js';
import { parseMetricsConfig } from '../src/metrics/metrics-config.js';

function problemsOf(parse: () => unknown): readonly string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** The dashboard needs its Redis: every case below has one. */
const REDIS = { REDIS_URL: 'redis://redis:6379' };

describe('the dashboard configuration', () => {
  it('defaults to loopback, read-only, no auth, port 3001', () => {
    expect(parseDashboardConfig(REDIS)).toEqual({
      redis: { url: 'redis://redis:6379', tlsCaFile: undefined },
      logLevel: 'info',
      logFormat: 'auto',
      queuePrefix: 'twelvefa',
      queueName: 'nth-prime',
      port: 3001,
      host: '127.0.0.1',
      basePath: '/',
      credentials: undefined,
      generatedPasswordUser: undefined,
      actions: false,
      loginThrottle: { attempts: 10, windowSeconds: 900, maxBackoffSeconds: 60 },
    });
  });

  it('reads the password from DASHBOARD_PASSWORD_FILE, a mounted secret', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'twelvefa-dashboard-')), 'password');
    writeFileSync(file, 's3cret with spaces \n');
    expect(
      parseDashboardConfig({ ...REDIS, DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD_FILE: file }),
    ).toMatchObject({ credentials: { user: 'ops', password: 's3cret with spaces ' } });
  });

  it('with DASHBOARD_GENERATE_PASSWORD and no password, generates one for the user, exposed or not', () => {
    expect(
      parseDashboardConfig({
        ...REDIS,
        DASHBOARD_HOST: '0.0.0.0',
        DASHBOARD_GENERATE_PASSWORD: 'true',
      }),
    ).toMatchObject({ credentials: undefined, generatedPasswordUser: 'operator' });
    expect(
      parseDashboardConfig({
        ...REDIS,
        DASHBOARD_USER: 'ops',
        DASHBOARD_GENERATE_PASSWORD: 'true',
      }),
    ).toMatchObject({ generatedPasswordUser: 'ops' });
    // A password given wins: nothing is generated.
    expect(
      parseDashboardConfig({
        ...REDIS,
        DASHBOARD_USER: 'ops',
        DASHBOARD_PASSWORD: 's3cret',
        DASHBOARD_GENERATE_PASSWORD: 'true',
      }),
    ).toMatchObject({
      credentials: { user: 'ops', password: 's3cret' },
      generatedPasswordUser: undefined,
    });
  });

  it('refuses a non-loopback host without credentials, and half a credential', () => {
    expect(problemsOf(() => parseDashboardConfig({ ...REDIS, DASHBOARD_HOST: '0.0.0.0' }))).toEqual(
      [
        'DASHBOARD_HOST "0.0.0.0" is not a loopback address: set DASHBOARD_USER and DASHBOARD_PASSWORD (or DASHBOARD_GENERATE_PASSWORD), or bind 127.0.0.1',
      ],
    );
    expect(problemsOf(() => parseDashboardConfig({ ...REDIS, DASHBOARD_USER: 'ops' }))).toEqual([
      'DASHBOARD_USER and DASHBOARD_PASSWORD must be set together',
    ]);
  });

  it('accepts an exposed host with credentials, and never echoes the password', () => {
    const config = parseDashboardConfig({
      ...REDIS,
      DASHBOARD_HOST: '0.0.0.0',
      DASHBOARD_USER: 'ops',
      DASHBOARD_PASSWORD: 's3cret',
      DASHBOARD_ACTIONS: 'yes',
      DASHBOARD_BASE_PATH: '/queues/',
    });
    expect(config).toMatchObject({ host: '0.0.0.0', actions: true, basePath: '/queues' });
    expect(config.credentials).toEqual({ user: 'ops', password: 's3cret' });
    const problems = problemsOf(() =>
      parseDashboardConfig({ ...REDIS, DASHBOARD_PORT: 'x', DASHBOARD_PASSWORD: 's3cret' }),
    );
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('s3cret');
  });

  it('needs REDIS_URL: it shows the queue', () => {
    expect(problemsOf(() => parseDashboardConfig({}))).toEqual([
      'REDIS_URL is required (a redis:// or rediss:// URL)',
    ]);
  });
});

describe('the metrics configuration', () => {
  it('has no endpoint unless METRICS_PORT is set', () => {
    expect(parseMetricsConfig({})).toEqual({ port: undefined, host: '0.0.0.0' });
    expect(parseMetricsConfig({ METRICS_PORT: '9464' }).port).toBe(9464);
  });

  it('names a bad METRICS_PORT and what is allowed', () => {
    expect(problemsOf(() => parseMetricsConfig({ METRICS_PORT: '70000' }))).toEqual([
      'METRICS_PORT must be an integer from 0 to 65535, got "70000"',
    ]);
  });
});

describe('the event log configuration', () => {
  it('is on with a bounded stream by default', () => {
    expect(parseEventLogConfig({})).toEqual({
      enabled: true,
      stream: 'twelvefa:events',
      maxLength: 100_000,
      maxPending: 1000,
      timeoutMs: 1000,
    });
  });

  it('is read by twelvefa-events as a consumer of the group, from the Redis it needs', () => {
    expect(parseEventReaderConfig({ ...REDIS, EVENT_CONSUMER: 'recorder-1' })).toEqual({
      redis: { url: 'redis://redis:6379', tlsCaFile: undefined },
      logLevel: 'info',
      logFormat: 'json',
      stream: 'twelvefa:events',
      group: 'twelvefa-events',
      consumer: 'recorder-1',
      claimIdleMs: 30_000,
    });
    expect(problemsOf(() => parseEventReaderConfig({}))).toEqual([
      'REDIS_URL is required (a redis:// or rediss:// URL)',
    ]);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf(() =>
      parseEventLogConfig({
        EVENT_LOG: 'maybe',
        EVENT_STREAM: 'has space',
        EVENT_STREAM_MAX_LENGTH: '0',
      }),
    );
    expect(problems).toEqual([
      'EVENT_LOG must be true or false, got "maybe"',
      'EVENT_STREAM must be letters, digits, _ . : or -, got "has space"',
      'EVENT_STREAM_MAX_LENGTH must be an integer from 1 to 1000000000, got "0"',
    ]);
  });
});
