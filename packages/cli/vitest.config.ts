import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A Node warning printed by a process a test started, or by the test process, fails the test.
    setupFiles: ['@twelvefa/test-support/fail-on-node-warnings'],
    // The end-to-end files spawn real servers and terminals on two shared
    // cores: one file at a time keeps their timings honest.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
