#!/usr/bin/env node
// Health probe for Compose and anyone without a native gRPC probe:
// exits 0 when ADDRESS reports SERVING, 1 otherwise.
import { checkHealth, describeHealthError } from '../grpc/health-check.js';

const [address, service = ''] = process.argv.slice(2);
if (address === undefined || address === '--help' || address === '-h') {
  process.stderr.write('usage: twelvefa-health ADDRESS [SERVICE]   e.g. twelvefa-health :3000\n');
  process.exit(address === undefined ? 2 : 0);
}
checkHealth(address, service).then(
  (status) => {
    process.stdout.write(`${status}\n`);
    process.exit(status === 'SERVING' ? 0 : 1);
  },
  (error: unknown) => {
    process.stderr.write(`twelvefa-health: ${describeHealthError(address, error)}\n`);
    process.exit(1);
  },
);
