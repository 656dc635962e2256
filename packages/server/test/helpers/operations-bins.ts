import { fileURLToPath } from 'node:url';

/** The operations bins, built into dist like the others. */
export const OPERATIONS_BIN = {
  dashboard: fileURLToPath(new URL('../../dist/bin/twelvefa-dashboard.js', import.meta.url)),
  events: fileURLToPath(new URL('../../dist/bin/twelvefa-events.js', import.meta.url)),
} as const;

/** Where tests leave screenshots for a human to look at (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
