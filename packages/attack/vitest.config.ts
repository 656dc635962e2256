import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every case runs an API, workers and a Redis of its own on a shared two-core machine:
    // one file at a time, so the figures each asserts measure the service, not the neighbours.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
