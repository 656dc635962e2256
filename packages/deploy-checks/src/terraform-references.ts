import type { ProviderSchema } from './provider-schema.js';
import { blocks, type TerraformConfig } from './terraform.js';
import { asArray, isObject } from './yaml-documents.js';

// References in a configuration's expressions to resources, data sources, their attributes,
// variables and locals, checked against the declarations and the providers' schemas.

/** snake_case and camelCase names compare equal (the bindings camel-case every name). */
function sameName(terraform: string, binding: string): boolean {
  return terraform.replace(/_/g, '').toLowerCase() === binding.toLowerCase();
}

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

/**
 * The references to resources, data sources, variables or locals that are not declared, or to
 * attributes their schemas do not have.
 */
export function referenceProblems(
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
