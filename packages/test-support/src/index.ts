export { freePort } from './free-port.js';
export { EVERY_JOB_STATE, type JobState } from './job-states.js';
export {
  type Exit,
  type LogRecord,
  ManagedProcess,
  parseRecord,
  type StartOptions,
  TRACE_WARNINGS,
  tail,
} from './managed-process.js';
export {
  failOnNodeWarnings,
  takeNodeWarnings,
  type WatchedOutput,
  watchForWarnings,
  watchStream,
} from './node-warnings.js';
export {
  type PreparedCall,
  prepareCall,
  type RawCallResult,
  RawGrpcClient,
} from './raw-grpc-client.js';
export { startTestRedis, type TestRedis, type TestRedisOptions } from './redis-server.js';
export { referenceNthPrime } from './reference-primes.js';
