import { parseAllDocuments } from 'yaml';

/** A parsed YAML mapping. */
export type YamlObject = Record<string, unknown>;

/** Every non-empty document of a multi-document YAML text; throws on a syntax error. */
export function parseYamlDocuments(text: string): YamlObject[] {
  const documents = parseAllDocuments(text);
  const objects: YamlObject[] = [];
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new Error(`invalid YAML: ${document.errors.map((e) => e.message).join('; ')}`);
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new Error('a YAML document is not a mapping');
    objects.push(value);
  }
  return objects;
}

/** True when value is a plain mapping. */
export function isObject(value: unknown): value is YamlObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Follows a path of keys and indexes; undefined when any step is missing. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (!isObject(current)) return undefined;
      current = current[step];
    }
  }
  return current;
}

/** The value as an array (an empty one when it is not an array). */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
