#!/usr/bin/env node
import { main } from '../main.js';

// `calcli ... | head -1`: whoever reads the results went away. Stop quietly, as Unix tools do,
// instead of dying on an unhandled EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const code = await main(process.argv.slice(2), process.env, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
// Exit explicitly: grpc-js timers and a paused terminal stdin must not keep
// calcli alive once it is done. Writes to pipes and files are synchronous on
// Linux and macOS, so nothing printed is lost.
process.exit(code);
