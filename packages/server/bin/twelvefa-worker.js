#!/usr/bin/env node
// What npm links as `twelvefa-worker`: present at install, before the build writes dist/.
import '../dist/bin/twelvefa-worker.js';
