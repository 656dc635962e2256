#!/usr/bin/env node
import { main } from '../main.js';

const code = await main(process.argv.slice(2), process.env, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
// Exit explicitly: grpc-js timers and a paused terminal stdin must not keep
// calcli alive once it is done. Writes to pipes and files are synchronous on
// Linux and macOS, so nothing printed is lost.
process.exit(code);
