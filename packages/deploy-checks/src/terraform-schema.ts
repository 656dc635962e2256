import { argumentsOf, configOf, type ProviderSchema } from './provider-schema.js';
import { blocks, type TerraformConfig } from './terraform.js';
import { referenceProblems } from './terraform-references.js';
import { constraintAdmits } from './terraform-version-constraint.js';
import { asArray, isObject, type YamlObject } from './yaml-documents.js';

// `terraform validate` needs the providers' plugins, and their registry cannot be reached
// from here. Their schemas can, from the prebuilt CDKTF bindings (provider-schema.ts reads
// them). This module checks a parsed configuration against them: unknown resource types,
// unknown or misplaced arguments, blocks written as attributes and the reverse, missing
// required arguments, and (terraform-references.ts) references to resources, attributes,
// variables and locals that do not exist.

const RESOURCE_META = new Set([
  'count',
  'for_each',
  'depends_on',
  'lifecycle',
  'provider',
  'provisioner',
  'connection',
]);
const PROVIDER_META = new Set(['alias', 'version']);

function bodyProblems(
  schema: ProviderSchema,
  structFqn: string,
  body: unknown,
  where: string,
  meta: ReadonlySet<string>,
  problems: string[],
): void {
  if (!isObject(body)) {
    problems.push(`${where}: expected a body`);
    return;
  }
  const args = argumentsOf(schema, structFqn);
  const dynamic = isObject(body.dynamic) ? Object.keys(body.dynamic) : [];
  for (const [key, value] of Object.entries(body)) {
    if (meta.has(key)) continue;
    if (key === 'dynamic') {
      for (const [name, generators] of Object.entries(body.dynamic as YamlObject)) {
        const arg = args.get(name);
        if (!arg?.block) {
          problems.push(`${where}: dynamic "${name}" is not a block of ${schema.name}`);
          continue;
        }
        for (const generator of asArray(generators)) {
          for (const content of asArray(isObject(generator) ? generator.content : undefined)) {
            if (arg.nested)
              bodyProblems(schema, arg.nested, content, `${where}.${name}`, NONE, problems);
          }
        }
      }
      continue;
    }
    const arg = args.get(key);
    if (!arg) {
      problems.push(`${where}: unknown argument "${key}" (${schema.source} ${schema.version})`);
      continue;
    }
    const isBlockSyntax = Array.isArray(value) && value.length > 0 && value.every(isObject);
    if (arg.block && !isBlockSyntax) {
      problems.push(`${where}: "${key}" is a block: write ${key} { ... }, not ${key} = ...`);
      continue;
    }
    // hcl2json writes a list of objects and repeated blocks alike, so only a single
    // object attribute (`name = { ... }`) written as a block can be told apart.
    if (!arg.block && arg.nested && !arg.list && isBlockSyntax) {
      problems.push(`${where}: "${key}" is an attribute: write ${key} = { ... }, not a block`);
      continue;
    }
    if (arg.nested) {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, index) => {
        if (isObject(item)) {
          const at = items.length > 1 ? `${where}.${key}[${index}]` : `${where}.${key}`;
          bodyProblems(schema, arg.nested as string, item, at, NONE, problems);
        }
      });
    }
  }
  for (const arg of args.values()) {
    if (arg.required && !(arg.name in body) && !dynamic.includes(arg.name)) {
      problems.push(`${where}: the required argument "${arg.name}" is missing`);
    }
  }
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Checks a parsed configuration against the providers' schemas: each provider required with
 * the binding's source and a constraint that admits its version; each resource, data source
 * and provider block known, with known arguments in the right syntax (block or attribute) and
 * every required one set; each reference to a resource, data source, attribute, variable or
 * local declared. Returns the problems; an empty list means valid.
 */
export function terraformSchemaProblems(
  config: TerraformConfig,
  schemas: ReadonlyMap<string, ProviderSchema>,
): string[] {
  const problems: string[] = [];
  const required = new Map<string, YamlObject>();
  for (const file of Object.values(config.parsed)) {
    for (const terraform of asArray(file.terraform)) {
      for (const list of asArray(isObject(terraform) ? terraform.required_providers : undefined)) {
        if (!isObject(list)) continue;
        for (const [name, spec] of Object.entries(list))
          if (isObject(spec)) required.set(name, spec);
      }
    }
  }
  const used = new Set<string>();
  const check = (kind: 'resource' | 'data') => {
    for (const [address, body] of blocks(config, kind)) {
      const type = address.split('.')[0] ?? '';
      const provider = type.split('_')[0] ?? '';
      used.add(provider);
      const schema = schemas.get(provider);
      const where = kind === 'data' ? `data.${address}` : address;
      if (!schema) {
        problems.push(`${where}: no schema loaded for the provider ${provider}`);
        continue;
      }
      const classFqn = (kind === 'data' ? schema.dataSources : schema.resources).get(type);
      const config = classFqn ? configOf(schema, classFqn) : undefined;
      if (!config) {
        problems.push(`${where}: ${schema.source} ${schema.version} has no ${kind} type ${type}`);
        continue;
      }
      bodyProblems(schema, config, body, where, RESOURCE_META, problems);
    }
  };
  check('resource');
  check('data');
  for (const file of Object.values(config.parsed)) {
    if (!isObject(file.provider)) continue;
    for (const [name, bodies] of Object.entries(file.provider)) {
      used.add(name);
      const schema = schemas.get(name);
      const config = schema?.providerClass ? configOf(schema, schema.providerClass) : undefined;
      if (!schema || !config) {
        problems.push(`provider "${name}": no schema loaded`);
        continue;
      }
      for (const body of asArray(bodies)) {
        bodyProblems(schema, config, body, `provider "${name}"`, PROVIDER_META, problems);
      }
    }
  }
  for (const name of used) {
    const schema = schemas.get(name);
    const spec = required.get(name);
    if (!schema) continue;
    if (!spec) {
      problems.push(`required_providers: ${name} is used but not required`);
      continue;
    }
    if (spec.source !== schema.source) {
      problems.push(`required_providers.${name}: source must be ${schema.source}`);
    }
    const constraint = typeof spec.version === 'string' ? spec.version : '';
    if (!constraintAdmits(constraint, schema.version)) {
      problems.push(
        `required_providers.${name}: "${constraint}" does not admit ${schema.version}, the version the checks know the schema of`,
      );
    }
  }
  problems.push(...referenceProblems(config, schemas));
  return problems;
}
