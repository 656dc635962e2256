import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two suites: `unit` runs in seconds; `slow` holds the published values up to p(10^16) and
// pi(10^17) and random n up to 10^16 against Debian's primecount (about three minutes of CPU).
// `npm test` (and CI) runs both. The tests are pure computation, so every core runs a file
// (vitest's default leaves one idle); the slow files are split so that they share the cores.
export default defineConfig({
  test: {
    maxWorkers: availableParallelism(),
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/slow/**'] } },
      { test: { name: 'slow', include: ['test/slow/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
