import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';
import { blocks, type TerraformConfig } from './terraform.js';
import { asArray, isObject, type YamlObject } from './yaml-documents.js';

// `terraform validate` needs the providers' plugins, and their registry cannot be reached
// from here. Their schemas can: each prebuilt CDKTF binding (@cdktf/provider-google, -helm,
// -random on npm) is generated from `terraform providers schema -json` of one provider
// version, and its jsii manifest (.jsii) keeps, per resource, data source and provider, every
// argument with its Terraform name (the registry link in its docs), whether it is required,
// whether it is a block, and its nested type; the resource classes list the computed
// attributes as well. This module reads those manifests and checks a parsed configuration
// against them: unknown resource types, unknown or misplaced arguments, blocks written as
// attributes and the reverse, missing required arguments, and references to resources,
// attributes, variables and locals that do not exist.

/** A jsii type reference: a primitive, a named type, a collection or a union. */
interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
  readonly union?: { readonly types: readonly TypeRef[] };
}

interface JsiiProperty {
  readonly name: string;
  readonly type: TypeRef;
  readonly optional?: boolean;
  readonly static?: boolean;
  readonly docs?: { readonly summary?: string; readonly remarks?: string };
}

interface JsiiType {
  readonly kind: string;
  readonly fqn: string;
  readonly base?: string;
  readonly interfaces?: readonly string[];
  readonly properties?: readonly JsiiProperty[];
  readonly methods?: readonly { readonly name: string; readonly returns?: { type: TypeRef } }[];
  readonly initializer?: { readonly parameters?: readonly { readonly type: TypeRef }[] };
  readonly docs?: { readonly summary?: string };
}

/** One argument of a resource, data source, provider or nested block. */
export interface Argument {
  /** Its Terraform name. */
  readonly name: string;
  readonly required: boolean;
  /** Written as a nested block (`name { ... }`), not as an attribute (`name = ...`). */
  readonly block: boolean;
  /** The nested schema of a block or object attribute, when it has one. */
  readonly nested: string | undefined;
  /** A list (of blocks, or of objects), rather than a single one. */
  readonly list: boolean;
}

/** The schema of one provider version, as its prebuilt binding describes it. */
export interface ProviderSchema {
  /** Local name and registry source: google, hashicorp/google. */
  readonly name: string;
  readonly source: string;
  /** The provider version the binding was generated from. */
  readonly version: string;
  readonly types: Readonly<Record<string, JsiiType>>;
  /** Terraform type name → the binding's class. */
  readonly resources: ReadonlyMap<string, string>;
  readonly dataSources: ReadonlyMap<string, string>;
  readonly providerClass: string | undefined;
}

/** The prebuilt bindings read, by the provider's local name. */
export const PROVIDER_PACKAGES: Readonly<Record<string, string>> = {
  google: '@cdktf/provider-google',
  helm: '@cdktf/provider-helm',
  random: '@cdktf/provider-random',
};

function packageDir(name: string): string {
  for (const base of [
    join(REPO_ROOT, 'packages/deploy-checks/node_modules'),
    join(REPO_ROOT, 'node_modules'),
  ]) {
    const dir = join(base, name);
    if (existsSync(join(dir, '.jsii'))) return dir;
  }
  throw new Error(`package ${name} is not installed`);
}

// "Represents a {@link https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/redis_instance google_redis_instance}."
const REPRESENTS =
  /\{@link https:\/\/registry\.terraform\.io\/providers\/[^\s/]+\/[^\s/]+\/[^\s/]+\/docs(?:\/(resources|data-sources)\/[\w-]+)? ([\w-]+)\}/;

/** Reads one provider's schema from its prebuilt binding's jsii manifest. */
export async function loadProviderSchema(name: string): Promise<ProviderSchema> {
  const pkg = PROVIDER_PACKAGES[name];
  if (!pkg) throw new Error(`no prebuilt binding known for the provider ${name}`);
  const dir = packageDir(pkg);
  const readme = await readFile(join(dir, 'README.md'), 'utf8');
  const version = /bindings for ([\w-]+\/[\w-]+) provider version (\d+\.\d+\.\d+)/.exec(readme);
  if (!version?.[1] || !version[2]) throw new Error(`${pkg}: no provider version in its README`);
  const manifest = JSON.parse(await readFile(join(dir, '.jsii'), 'utf8')) as {
    types: Record<string, JsiiType>;
  };
  const resources = new Map<string, string>();
  const dataSources = new Map<string, string>();
  let providerClass: string | undefined;
  for (const [fqn, type] of Object.entries(manifest.types)) {
    if (type.kind !== 'class') continue;
    const represents = REPRESENTS.exec(type.docs?.summary ?? '');
    if (!represents?.[2]) continue;
    if (represents[1] === 'resources') resources.set(represents[2], fqn);
    else if (represents[1] === 'data-sources') dataSources.set(represents[2], fqn);
    else if (type.base === 'cdktf.TerraformProvider') providerClass = fqn;
  }
  return {
    name,
    source: version[1],
    version: version[2],
    types: manifest.types,
    resources,
    dataSources,
    providerClass,
  };
}

/** Loads every provider of PROVIDER_PACKAGES. */
export async function loadProviderSchemas(): Promise<Map<string, ProviderSchema>> {
  const schemas = new Map<string, ProviderSchema>();
  for (const name of Object.keys(PROVIDER_PACKAGES)) {
    schemas.set(name, await loadProviderSchema(name));
  }
  return schemas;
}

/** snake_case and camelCase names compare equal (the bindings camel-case every name). */
function sameName(terraform: string, binding: string): boolean {
  return terraform.replace(/_/g, '').toLowerCase() === binding.toLowerCase();
}

// The named type a reference carries, through unions and collections: the nested schema.
function namedType(ref: TypeRef): { fqn: string; list: boolean } | undefined {
  if (ref.fqn && !ref.fqn.startsWith('cdktf.')) return { fqn: ref.fqn, list: false };
  if (ref.collection) {
    const inner = namedType(ref.collection.elementtype);
    return inner ? { fqn: inner.fqn, list: ref.collection.kind === 'array' } : undefined;
  }
  for (const member of ref.union?.types ?? []) {
    const inner = namedType(member);
    if (inner) return inner;
  }
  return undefined;
}

function configOf(schema: ProviderSchema, classFqn: string): string | undefined {
  const parameters = schema.types[classFqn]?.initializer?.parameters ?? [];
  const config = parameters[parameters.length - 1]?.type.fqn;
  return config?.startsWith('cdktf.') ? undefined : config;
}

/** The arguments of a resource's, data source's, provider's or block's schema, by name. */
export function argumentsOf(schema: ProviderSchema, structFqn: string): Map<string, Argument> {
  const found = new Map<string, Argument>();
  const visit = (fqn: string) => {
    const type = schema.types[fqn];
    if (!type) return;
    for (const parent of type.interfaces ?? []) if (!parent.startsWith('cdktf.')) visit(parent);
    for (const property of type.properties ?? []) {
      const docs = `${property.docs?.summary ?? ''} ${property.docs?.remarks ?? ''}`;
      // The registry link ends in #<terraform name>: the only exact source of the name.
      const anchor = /\{@link \S+#([\w-]+) /.exec(docs)?.[1];
      const name = anchor ?? property.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const nested = namedType(property.type);
      found.set(name, {
        name,
        required: property.optional !== true,
        block: /\bblock\.?$/.test((property.docs?.summary ?? '').trim()),
        nested: nested && schema.types[nested.fqn]?.kind === 'interface' ? nested.fqn : undefined,
        list: nested?.list ?? false,
      });
    }
  };
  visit(structFqn);
  return found;
}

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

// What a reference's steps may follow from a class: a property, or for a list (or a block
// of at most one, written [0]) an index or a splat.
function step(
  schema: ProviderSchema,
  classFqn: string,
  segment: string,
): { next: string | undefined } | 'unknown' {
  const type = schema.types[classFqn];
  if (!type) return { next: undefined };
  if (segment.startsWith('[')) {
    const get = type.methods?.find((m) => m.name === 'get');
    const element = get?.returns?.type.fqn;
    if (element && !element.startsWith('cdktf.')) return { next: element };
    if (classFqn.endsWith('OutputReference')) return { next: classFqn };
    return { next: undefined };
  }
  const properties = [...(type.properties ?? [])].filter((p) => !p.static);
  const property = properties.find(
    (p) => sameName(segment, p.name) && !/Input$/.test(p.name) && p.name !== 'fqn',
  );
  if (!property) {
    // Every resource and data source has an id, whether its binding lists it or not.
    return segment === 'id' ? { next: undefined } : 'unknown';
  }
  const next = property.type.fqn;
  if (!next || next.startsWith('cdktf.')) return { next: undefined };
  return { next: schema.types[next]?.kind === 'class' ? next : undefined };
}

const REFERENCE =
  /(?<![\w.])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)((?:\.[A-Za-z_][\w-]*|\[[^\]]*\])*)/g;
const VARIABLE = /(?<![\w.])(var|local)\.([A-Za-z_][\w-]*)/g;

function expressions(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') {
    const start = value.indexOf('${');
    if (start >= 0) out.push(value.slice(start));
  } else if (Array.isArray(value)) {
    for (const item of value) expressions(item, out);
  } else if (isObject(value)) {
    for (const item of Object.values(value)) expressions(item, out);
  }
  return out;
}

function referenceProblems(
  config: TerraformConfig,
  schemas: ReadonlyMap<string, ProviderSchema>,
): string[] {
  const problems: string[] = [];
  const resources = blocks(config, 'resource');
  const data = blocks(config, 'data');
  const variables = blocks(config, 'variable');
  const locals = new Set(
    Object.values(config.parsed).flatMap((file) =>
      asArray(file.locals).flatMap((l) => (isObject(l) ? Object.keys(l) : [])),
    ),
  );
  for (const [file, parsed] of Object.entries(config.parsed)) {
    for (const expression of expressions(parsed, [])) {
      for (const match of expression.matchAll(VARIABLE)) {
        const [, kind, name = ''] = match;
        const declared = kind === 'var' ? variables.has(name) : locals.has(name);
        if (!declared) problems.push(`${file}: ${kind}.${name} is not declared`);
      }
      for (const match of expression.matchAll(REFERENCE)) {
        const [, isData, type = '', name = '', rest = ''] = match;
        const schema = schemas.get(type.split('_')[0] ?? '');
        if (!schema) continue;
        const address = `${isData ? 'data.' : ''}${type}.${name}`;
        const declared = isData ? data.has(`${type}.${name}`) : resources.has(`${type}.${name}`);
        if (!declared) {
          problems.push(`${file}: ${address} is not declared`);
          continue;
        }
        let current = (isData ? schema.dataSources : schema.resources).get(type);
        for (const segment of rest.match(/\.[A-Za-z_][\w-]*|\[[^\]]*\]/g) ?? []) {
          if (!current) break;
          const result = step(schema, current, segment.replace(/^\./, ''));
          if (result === 'unknown') {
            problems.push(
              `${file}: ${address}${rest}: no attribute "${segment.slice(1)}" (${schema.source} ${schema.version})`,
            );
            break;
          }
          current = result.next;
        }
      }
    }
  }
  return problems;
}

/** Whether a Terraform version constraint (`~> 6.50`, `>= 1.2, < 2`, `= 3.1.1`) admits a version. */
export function constraintAdmits(constraint: string, version: string): boolean {
  const parse = (v: string) => v.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  };
  const have = parse(version);
  return constraint.split(',').every((part) => {
    const match = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\d+(?:\.\d+)*)\s*$/.exec(part);
    if (!match?.[2]) return false;
    const want = parse(match[2]);
    const order = compare(have, want);
    switch (match[1] ?? '=') {
      case '~>': {
        // ~> 6.50 means >= 6.50, < 7; ~> 6.50.1 means >= 6.50.1, < 6.51.
        const upper = want.slice(0, Math.max(1, want.length - 1));
        upper[upper.length - 1] = (upper[upper.length - 1] ?? 0) + 1;
        return order >= 0 && compare(have, upper) < 0;
      }
      case '>=':
        return order >= 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '<':
        return order < 0;
      case '!=':
        return order !== 0;
      default:
        return order === 0;
    }
  });
}

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
