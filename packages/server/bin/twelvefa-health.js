#!/usr/bin/env node
// What npm links as `twelvefa-health`: present at install, before the build writes dist/.
import '../dist/bin/twelvefa-health.js';
