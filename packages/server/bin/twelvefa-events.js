#!/usr/bin/env node
// What npm links as `twelvefa-events`: present at install, before the build writes dist/.
import '../dist/bin/twelvefa-events.js';
