#!/usr/bin/env node
import { runDashboard } from '../dashboard/run-dashboard.js';

runDashboard(process.env).catch((error: unknown) => {
  process.stderr.write(
    `twelvefa-dashboard: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
