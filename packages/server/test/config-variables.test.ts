import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Environment, parseConfig } from '../src/config.js';
import {
  BIN_NAMES,
  CONFIG_VARIABLES,
  documentedDefault,
  variablesReadBy,
} from '../src/config-variables.js';
import { parseDashboardConfig } from '../src/dashboard/dashboard-config.js';
import { parseEventLogConfig } from '../src/events/event-log-config.js';
import { parseMetricsConfig } from '../src/metrics/metrics-config.js';
import { documentedDefaults } from './helpers/configuration-doc.js';

/** Every parser of every bin, so one call sees all the variables they read. */
function parseEverything(env: Environment) {
  return {
    config: parseConfig(env),
    metrics: parseMetricsConfig(env),
    events: parseEventLogConfig(env),
    dashboard: parseDashboardConfig(env),
  };
}

describe('the table of variables --help prints (config-variables.ts)', () => {
  it('is what docs/configuration.md documents: the same variables, once each, with the same defaults', () => {
    const documented = documentedDefaults();
    const names = documented.map(([name]) => name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    expect(Object.fromEntries(documented)).toEqual(
      Object.fromEntries(
        CONFIG_VARIABLES.map((variable) => [variable.name, documentedDefault(variable)]),
      ),
    );
  });

  it('names every variable the parsers read, and nothing else', () => {
    const read = new Set<string>();
    const spy = new Proxy<Environment>(
      {},
      {
        get: (_, name) => {
          if (typeof name === 'string') read.add(name);
          return undefined;
        },
      },
    );
    parseEverything(spy);
    // NAME_FILE is how any NAME may be given, not a variable of its own.
    const variables = [...read].filter(
      (name) => !(name.endsWith('_FILE') && read.has(name.slice(0, -'_FILE'.length))),
    );
    expect(variables.sort()).toEqual(CONFIG_VARIABLES.map(({ name }) => name).sort());
  });

  it('gives each default the parsers apply: set to its default, a variable changes nothing', () => {
    const unset = parseEverything({});
    const withValues = CONFIG_VARIABLES.flatMap(({ name, unset }) =>
      'value' in unset ? [[name, unset.value] as const] : [],
    );
    expect(withValues.length).toBeGreaterThan(40);
    for (const [name, value] of withValues) {
      expect(parseEverything({ [name]: value }), `${name}=${value}`).toEqual(unset);
    }
  });

  it('has every variable read by some bin, and no bin but twelvefa-health without variables', () => {
    for (const variable of CONFIG_VARIABLES) expect(variable.readBy, variable.name).not.toEqual([]);
    for (const bin of BIN_NAMES) {
      expect(variablesReadBy(bin).length > 0, bin).toBe(bin !== 'twelvefa-health');
    }
  });

  it('names every variable the source reads outside the parsers too', () => {
    // A direct `env.X` read bypasses the parsers the Proxy test above watches.
    const src = new URL('../src/', import.meta.url).pathname;
    const read = new Set<string>();
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file === 'config-variables.ts') continue;
      const text = readFileSync(join(src, file), 'utf8');
      for (const [, dotted, bracketed] of text.matchAll(
        /\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g,
      )) {
        const name = dotted ?? bracketed;
        if (name !== undefined) read.add(name);
      }
      expect(text, `${file} destructures the environment`).not.toMatch(
        /}\s*=\s*(?:process\.)?env\b/,
      );
    }
    expect(read.size).toBeGreaterThan(0);
    const known = new Set(CONFIG_VARIABLES.map(({ name }) => name));
    expect([...read].filter((name) => !known.has(name))).toEqual([]);
  });
});
