import { readFileSync } from 'node:fs';

/** calcli's version, from its package.json (one level above both src/ and dist/). */
export function version(): string {
  const url = new URL('../package.json', import.meta.url);
  const { version } = JSON.parse(readFileSync(url, 'utf8')) as { version: string };
  return version;
}
