#!/usr/bin/env node
import { parseBinArguments } from '../bin-arguments.js';
import { runDashboard } from '../dashboard/run-dashboard.js';

parseBinArguments('twelvefa-dashboard', process.argv.slice(2));
runDashboard(process.env).catch((error: unknown) => {
  process.stderr.write(
    `twelvefa-dashboard: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
