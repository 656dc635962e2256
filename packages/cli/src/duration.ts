import { UsageError } from './usage-error.js';

/** Parses `5`, `2.5`, `5s` or `500ms` into milliseconds (a bare number is seconds). */
export function parseDuration(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (match[2] === 'ms' ? 1 : 1000) : Number.NaN;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new UsageError(
      `${option} must be a positive duration such as 5s, 500ms or 2.5, got "${text}"`,
    );
  }
  return Math.round(ms);
}

/** Formats milliseconds the way a user would type them: `5s`, `1.5s`, `250ms`. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))}s` : `${ms}ms`;
}
