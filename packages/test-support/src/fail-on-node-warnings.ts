// A vitest setup file (`setupFiles` in a package's vitest.config.ts): a test fails when a
// process it started (ManagedProcess, calcli, a terminal) or the test process itself (servers
// started in-process) printed a Node warning while it ran; the file fails for those printed
// after its last test, as processes shut down.
import { afterAll, afterEach } from 'vitest';
import { failOnNodeWarnings, takeNodeWarnings, watchForWarnings } from './node-warnings.js';

/** How long a check waits for the output of processes that exited to be read to its end. */
const SETTLE_MS = { test: 500, file: 2000 };

// Node still prints them on this process's stderr; this only counts them.
let inProcess = '';
const count = (warning: Error): void => {
  inProcess += `${warning.stack ?? `${warning.name}: ${warning.message}`}\n`;
};
process.on('warning', count);
watchForWarnings({
  name: `the test process (pid ${process.pid})`,
  match: 'any',
  text: () => inProcess,
  finished: new Promise(() => undefined),
  exited: () => false,
});

afterEach(async () => failOnNodeWarnings(await takeNodeWarnings(SETTLE_MS.test)));
afterAll(async () => {
  try {
    failOnNodeWarnings(await takeNodeWarnings(SETTLE_MS.file));
  } finally {
    process.off('warning', count);
  }
});
