import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A Node warning printed by a process a test started, or by the test process, fails the test.
    setupFiles: ['@twelvefa/test-support/fail-on-node-warnings'],
    // The image replay and the topology start real processes; one file at a time
    // keeps this light on a shared two-core machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
