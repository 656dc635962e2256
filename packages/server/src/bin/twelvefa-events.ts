#!/usr/bin/env node
import { runEvents } from '../events/run-events.js';

runEvents(process.env, process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `twelvefa-events: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  },
);
