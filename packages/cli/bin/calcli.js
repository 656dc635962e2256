#!/usr/bin/env node
// What npm links as `calcli`: present at install, before the build writes dist/.
import '../dist/bin/calcli.js';
