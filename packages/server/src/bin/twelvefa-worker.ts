#!/usr/bin/env node
import { runWorker } from '../run-worker.js';

runWorker(process.env).catch((error: unknown) => {
  process.stderr.write(
    `twelvefa-worker: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
