#!/usr/bin/env node
// What npm links as `twelvefa`: present at install, before the build writes dist/.
import '../dist/bin/twelvefa.js';
