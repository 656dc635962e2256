#!/usr/bin/env node
import { runWorker } from '../main.js';

runWorker(process.env).catch((error: unknown) => {
  process.stderr.write(
    `twelvefa-worker: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
