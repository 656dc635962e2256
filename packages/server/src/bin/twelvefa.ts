#!/usr/bin/env node
import { runApi } from '../run-api.js';

runApi(process.env).catch((error: unknown) => {
  process.stderr.write(`twelvefa: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
