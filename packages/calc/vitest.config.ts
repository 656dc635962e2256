import { defineConfig } from 'vitest/config';

// Two suites: `unit` runs in seconds; `slow` holds the published values up to 10^13, which
// take a few seconds each. `npm test` (and CI) runs both.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/slow/**'] } },
      { test: { name: 'slow', include: ['test/slow/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
