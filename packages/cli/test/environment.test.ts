import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliUsage } from '../src/help-text.js';

/** Variables every Unix program may read, which calcli need not document. */
const STANDARD = new Set(['HOME']);

/** Every environment variable calcli's source reads. */
function variablesRead(): string[] {
  const src = new URL('../src/', import.meta.url).pathname;
  const read = new Set<string>();
  for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(src, file), 'utf8');
    for (const [, name] of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) read.add(name ?? '');
  }
  return [...read].filter((name) => !STANDARD.has(name)).sort();
}

describe('the environment calcli reads', () => {
  it('is named in docs/cli.md and in calcli --help', () => {
    const doc = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
    const read = variablesRead();
    expect(read).toContain('TWELVEFA_ADDRESS');
    expect(read.filter((name) => !doc.includes(name))).toEqual([]);
    expect(read.filter((name) => !cliUsage().includes(name))).toEqual([]);
  });
});
