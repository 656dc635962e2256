#!/usr/bin/env node
// What npm links as `twelvefa-dashboard`: present at install, before the build writes dist/.
import '../dist/bin/twelvefa-dashboard.js';
