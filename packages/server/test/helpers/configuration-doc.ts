import { readFileSync } from 'node:fs';

const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * Every variable row of docs/configuration.md's tables: each variable named in a row's first
 * cell, with the row's Default cell as written (`3000`, unset, one per core).
 */
export function documentedDefaults(): [name: string, cell: string][] {
  const markdown = readFileSync(
    new URL('../../../../docs/configuration.md', import.meta.url),
    'utf8',
  );
  const rows: [string, string][] = [];
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) continue;
    const [, first = '', second = ''] = line.split('|');
    const names = [...first.matchAll(/`([^`]+)`/g)]
      .map(([, name]) => name ?? '')
      .filter((name) => VARIABLE_NAME.test(name));
    for (const name of names) rows.push([name, second.trim()]);
  }
  return rows;
}
