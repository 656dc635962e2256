import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A Node warning printed by a process a test started, or by the test process, fails the test.
    setupFiles: ['@twelvefa/test-support/fail-on-node-warnings'],
    // Every case runs an API, workers and a Redis of its own on a shared two-core machine:
    // one file at a time, so the figures each asserts measure the service, not the neighbours.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
