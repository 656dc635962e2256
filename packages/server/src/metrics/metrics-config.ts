import { ConfigError, type Environment, EnvReader } from '../config/env-reader.js';

/** Where the Prometheus endpoint listens. See docs/configuration.md. */
export interface MetricsConfig {
  /** METRICS_PORT: the port of GET /metrics; unset means no metrics endpoint. 0 picks a free port. */
  readonly port: number | undefined;
  /** METRICS_HOST: the interface the metrics endpoint binds. Default 0.0.0.0, for a scraper in another pod. */
  readonly host: string;
}

/** Parses METRICS_PORT and METRICS_HOST; throws ConfigError naming each bad variable. */
export function parseMetricsConfig(env: Environment): MetricsConfig {
  const read = new EnvReader(env);
  const config: MetricsConfig = {
    port: read.optionalInteger('METRICS_PORT', { min: 0, max: 65_535 }),
    host: read.string('METRICS_HOST', '0.0.0.0', /^[^\s]+$/, 'a host name or IP address'),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}
