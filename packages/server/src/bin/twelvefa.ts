#!/usr/bin/env node
import { parseBinArguments } from '../bin-arguments.js';
import { runApi } from '../run-api.js';

parseBinArguments('twelvefa', process.argv.slice(2));
runApi(process.env).catch((error: unknown) => {
  process.stderr.write(`twelvefa: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
