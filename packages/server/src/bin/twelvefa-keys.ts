#!/usr/bin/env node
import { runKeys } from '../access/run-keys.js';

runKeys(process.env, process.argv.slice(2));
