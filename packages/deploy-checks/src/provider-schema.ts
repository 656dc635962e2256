import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

// `terraform validate` needs the providers' plugins, and their registry cannot be reached
// from here. Their schemas can: each prebuilt CDKTF binding (@cdktf/provider-google, -helm,
// -random on npm) is generated from `terraform providers schema -json` of one provider
// version, and its jsii manifest (.jsii) keeps, per resource, data source and provider, every
// argument with its Terraform name (the registry link in its docs), whether it is required,
// whether it is a block, and its nested type; the resource classes list the computed
// attributes as well. This module reads those manifests; terraform-schema.ts checks a parsed
// configuration against them.

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

/** The config struct a resource's, data source's or provider's class is built from. */
export function configOf(schema: ProviderSchema, classFqn: string): string | undefined {
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
