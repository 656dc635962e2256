import { fileURLToPath } from 'node:url';

const built = (name: string): string =>
  fileURLToPath(new URL(`../../dist/bin/${name}.js`, import.meta.url));

/** The built bins: tests run after `npm run build`, against what ships. */
export const BIN = {
  api: built('twelvefa'),
  worker: built('twelvefa-worker'),
  health: built('twelvefa-health'),
  dashboard: built('twelvefa-dashboard'),
  events: built('twelvefa-events'),
  keys: built('twelvefa-keys'),
} as const;

/** Where tests leave screenshots for a human to look at (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
