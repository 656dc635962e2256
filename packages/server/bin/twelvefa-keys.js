#!/usr/bin/env node
// What npm links as `twelvefa-keys`: present at install, before the build writes dist/.
import '../dist/bin/twelvefa-keys.js';
