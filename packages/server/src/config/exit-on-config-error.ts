import { ConfigError, type Environment } from './env-reader.js';

/**
 * Runs a config parser for a bin: on ConfigError prints `bin: message` to
 * stderr and exits 2 (a usage error), so a bad variable never starts a process.
 */
export function configOrExit<T>(parse: (env: Environment) => T, env: Environment, bin: string): T {
  try {
    return parse(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${bin}: ${error.message}\n`);
    process.exit(2);
  }
}
