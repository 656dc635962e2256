import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A Node warning printed by a process a test started, or by the test process, fails the test.
    setupFiles: ['./src/fail-on-node-warnings.ts'],
    testTimeout: 30_000,
  },
});
