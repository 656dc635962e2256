import { defineConfig } from 'vitest/config';

// Two suites: `unit` runs in seconds; `slow` holds the published values up to p(10^16) and
// pi(10^17) and random n up to 10^16 against Debian's primecount (about four minutes on one
// core). `npm test` (and CI) runs both.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/slow/**'] } },
      { test: { name: 'slow', include: ['test/slow/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
