import { accessSync, constants, readFileSync } from 'node:fs';

/** The environment as a plain map (process.env or a test's own object). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Thrown when one or more variables are invalid; the message names each one and what is allowed. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Bounds and default of an integer variable. */
export interface IntegerRule {
  readonly min: number;
  readonly max: number;
  readonly fallback: number;
}

/**
 * Reads environment variables for every config module: each bad value adds a
 * problem naming the variable and what is allowed, so one ConfigError can list
 * them all.
 */
export class EnvReader {
  readonly problems: string[] = [];
  private readonly fromFiles = new Map<string, string | undefined>();
  constructor(private readonly env: Environment) {}

  /** The trimmed value, or undefined when unset or empty (see untrimmed). */
  raw(name: string): string | undefined {
    const value = this.untrimmed(name)?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /**
   * The value as given, from NAME or else from the file NAME_FILE names (the Docker and
   * Kubernetes secrets convention: a secret mounted as a file stays out of the environment, and
   * its one trailing newline is dropped). Both set is a problem.
   */
  private untrimmed(name: string): string | undefined {
    const direct = this.env[name];
    const path = this.env[`${name}_FILE`]?.trim();
    if (path === undefined || path === '') return direct === '' ? undefined : direct;
    if (!this.fromFiles.has(name)) {
      let value: string | undefined;
      if (direct !== undefined && direct !== '') {
        this.problems.push(`${name} and ${name}_FILE are both set: give one of them`);
      } else {
        try {
          value = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
        } catch {
          this.problems.push(`${name}_FILE must name a readable file, got ${JSON.stringify(path)}`);
        }
      }
      this.fromFiles.set(name, value);
    }
    return this.fromFiles.get(name);
  }

  /** Adds a problem found by a check across variables. */
  problem(message: string): void {
    this.problems.push(message);
  }

  integer(name: string, rule: IntegerRule): number {
    const raw = this.raw(name);
    if (raw === undefined) return rule.fallback;
    return this.parseInteger(name, raw, rule) ?? rule.fallback;
  }

  /**
   * An integer that can pass 2^53 (MAX_N is up to 10^16), exact as a bigint: decimal digits, or
   * 1e16 notation.
   */
  bigInteger(name: string, rule: { min: bigint; max: bigint; fallback: bigint }): bigint {
    const raw = this.raw(name);
    if (raw === undefined) return rule.fallback;
    const exponent = /^\+?(\d+)[eE]\+?(\d{1,2})$/.exec(raw);
    let value: bigint | undefined;
    if (/^\+?\d+$/.test(raw)) value = BigInt(raw);
    else if (exponent !== null)
      value = BigInt(exponent[1] ?? '0') * 10n ** BigInt(exponent[2] ?? '0');
    if (value === undefined || value < rule.min || value > rule.max) {
      this.problems.push(
        `${name} must be an integer from ${rule.min} to ${rule.max}, got ${JSON.stringify(raw)}`,
      );
      return rule.fallback;
    }
    return value;
  }

  /** An integer that is absent unless set (e.g. METRICS_PORT turns a feature on). */
  optionalInteger(name: string, rule: Omit<IntegerRule, 'fallback'>): number | undefined {
    const raw = this.raw(name);
    return raw === undefined ? undefined : this.parseInteger(name, raw, { ...rule, fallback: 0 });
  }

  private parseInteger(name: string, raw: string, rule: IntegerRule): number | undefined {
    const value = /^[+-]?(\d+(\.\d+)?([eE][+]?\d+)?)$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
      this.problems.push(
        `${name} must be an integer from ${rule.min} to ${rule.max}, got ${JSON.stringify(raw)}`,
      );
      return undefined;
    }
    return value;
  }

  string(name: string, fallback: string, pattern?: RegExp, allowed?: string): string {
    return this.optionalString(name, pattern, allowed) ?? fallback;
  }

  optionalString(name: string, pattern?: RegExp, allowed?: string): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    if (pattern && !pattern.test(raw)) {
      this.problems.push(`${name} must be ${allowed}, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return raw;
  }

  /** A secret: checked for presence only, never echoed in a message. */
  secret(name: string): string | undefined {
    const value = this.untrimmed(name);
    return value === '' ? undefined : value;
  }

  /** true/false, also accepting 1/0, yes/no and on/off. */
  boolean(name: string, fallback: boolean): boolean {
    const raw = this.raw(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  }
  /** One of `choices` (case-insensitive). */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const raw = this.raw(name);
    if (raw === undefined) return fallback;
    const found = choices.find((choice) => choice === raw.toLowerCase());
    if (found === undefined) {
      this.problems.push(
        `${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`,
      );
      return fallback;
    }
    return found;
  }

  /** The path of a file this process can read, or undefined when unset. */
  readableFile(name: string): string | undefined {
    const path = this.raw(name);
    if (path === undefined) return undefined;
    try {
      accessSync(path, constants.R_OK);
      return path;
    } catch {
      this.problems.push(`${name} must name a readable file, got ${JSON.stringify(path)}`);
      return undefined;
    }
  }

  /** A redis:// or rediss:// URL; the value is never echoed, as it may hold a password. */
  redisUrl(name: string): string | undefined {
    const raw = this.raw(name);
    if (raw === undefined) return undefined;
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
      this.problems.push(`${name} must be a redis:// or rediss:// URL`);
      return undefined;
    }
    return raw;
  }
}

/** Characters allowed in a Redis key part or a consumer name. */
export const KEY_PART = /^[A-Za-z0-9_.:-]+$/;
