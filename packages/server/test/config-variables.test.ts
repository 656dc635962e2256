import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiConfig } from '../src/config/api-config.js';
import {
  BIN_NAMES,
  type BinName,
  CONFIG_VARIABLES,
  documentedDefault,
  variablesReadBy,
} from '../src/config/config-variables.js';
import type { Environment } from '../src/config/env-reader.js';
import { parseWorkerConfig } from '../src/config/worker-config.js';
import { parseDashboardConfig } from '../src/dashboard/dashboard-config.js';
import { parseEventLogConfig, parseEventReaderConfig } from '../src/events/event-log-config.js';
import { parseMetricsConfig } from '../src/metrics/metrics-config.js';
import { documentedDefaults } from './helpers/configuration-doc.js';

/**
 * What each bin parses its environment with (twelvefa-keys reads AUTH_KEYS_FILE itself, which
 * the source scan below checks; twelvefa-health reads nothing).
 */
const PARSERS: Readonly<Record<BinName, readonly ((env: Environment) => unknown)[]>> = {
  twelvefa: [parseApiConfig, parseMetricsConfig, parseEventLogConfig],
  'twelvefa-worker': [parseWorkerConfig, parseMetricsConfig],
  'twelvefa-dashboard': [parseDashboardConfig],
  'twelvefa-events': [parseEventReaderConfig],
  'twelvefa-health': [],
  'twelvefa-keys': [(env) => env.AUTH_KEYS_FILE],
};

/** The variables `bin`'s parsers read (NAME_FILE, how any NAME may be given, left out). */
function variablesParsedBy(bin: BinName): string[] {
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
  for (const parse of PARSERS[bin]) {
    try {
      parse(spy);
    } catch {
      // An empty environment lacks what some bins require; every variable was read first.
    }
  }
  return [...read]
    .filter((name) => !(name.endsWith('_FILE') && read.has(name.slice(0, -'_FILE'.length))))
    .sort();
}

/** Every parser of every bin on `env` (with the REDIS_URL some require). */
function parseEverything(env: Environment) {
  const withRedis = { REDIS_URL: 'redis://redis:6379', ...env };
  return Object.fromEntries(
    BIN_NAMES.map((bin) => [bin, PARSERS[bin].map((parse) => parse(withRedis))]),
  );
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

  it("names exactly the variables each bin's parsers read", () => {
    for (const bin of BIN_NAMES) {
      expect(variablesParsedBy(bin), bin).toEqual(
        variablesReadBy(bin)
          .map(({ name }) => name)
          .sort(),
      );
    }
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
      if (!file.endsWith('.ts') || file.endsWith('config-variables.ts')) continue;
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
