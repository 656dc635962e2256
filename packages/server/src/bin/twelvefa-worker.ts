#!/usr/bin/env node
import { parseBinArguments } from '../process/bin-arguments.js';
import { runWorker } from '../worker/run-worker.js';

parseBinArguments('twelvefa-worker', process.argv.slice(2));
runWorker(process.env).catch((error: unknown) => {
  process.stderr.write(
    `twelvefa-worker: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
