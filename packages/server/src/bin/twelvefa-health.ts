#!/usr/bin/env node
import { checkHealth, describeHealthError } from '../health-probe/health-check.js';
// Health probe for Compose and anyone without a native gRPC probe:
// exits 0 when ADDRESS reports SERVING, 1 otherwise.
import { exitWithUsageError, parseBinArguments } from '../process/bin-arguments.js';

const { positionals } = parseBinArguments('twelvefa-health', process.argv.slice(2), {}, true);
const [address, service = '', ...extra] = positionals;
if (address === undefined) exitWithUsageError('twelvefa-health', 'an ADDRESS is needed');
if (extra.length > 0) exitWithUsageError('twelvefa-health', `unexpected argument '${extra[0]}'`);
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
