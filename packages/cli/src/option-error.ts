import { nearestWord } from './nearest-word.js';

/**
 * What node:util's parseArgs threw, in calcli's words: one line, quotes balanced (Node's "Unknown
 * option" text leaves one open), and the nearest long option when one was mistyped.
 * `longOptions` are the option names without their dashes.
 */
export function describeOptionError(error: unknown, longOptions: readonly string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /^Unknown option '([^']*)'/.exec(message)?.[1];
    if (option !== undefined) {
      const near = option.startsWith('--')
        ? nearestWord(
            option,
            longOptions.map((name) => `--${name}`),
          )
        : undefined;
      return `unknown option "${option}"${near === undefined ? '' : `; did you mean ${near}?`}`;
    }
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const missing = /^Option '(.+) <value>' argument missing/.exec(message)?.[1];
    if (missing !== undefined) return `${missing} needs a value`;
    // "-e --json": a value that looks like an option. Node's text spans three lines.
    const ambiguous = /^Option '(\S+)' argument is ambiguous/.exec(message)?.[1];
    const example = /use '([^']+)'/.exec(message)?.[1];
    if (ambiguous !== undefined && example !== undefined) {
      return `${ambiguous} needs a value; for one that starts with "-", write ${example}`;
    }
    const flag = /^Option '(\S+)' does not take an argument/.exec(message)?.[1];
    if (flag !== undefined) return `${flag} takes no value`;
  }
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
