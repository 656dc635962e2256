#!/usr/bin/env node
import { runDashboard } from '../dashboard/run-dashboard.js';
import { parseBinArguments } from '../process/bin-arguments.js';

parseBinArguments('twelvefa-dashboard', process.argv.slice(2));
runDashboard(process.env).catch((error: unknown) => {
  process.stderr.write(
    `twelvefa-dashboard: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
