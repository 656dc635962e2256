#!/usr/bin/env node
import { runApi } from '../api/run-api.js';
import { parseBinArguments } from '../process/bin-arguments.js';

parseBinArguments('twelvefa', process.argv.slice(2));
runApi(process.env).catch((error: unknown) => {
  process.stderr.write(`twelvefa: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
