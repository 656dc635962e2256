import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A Node warning printed by a process a test started, or by the test process, fails the test.
    setupFiles: ['@twelvefa/test-support/fail-on-node-warnings'],
    // Files share two cores with real worker threads, Redis and child processes:
    // one file at a time keeps timings (deadlines, stalled-job recovery) honest.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
