export {
  type CalcMethod,
  type CalcReply,
  type CalcRequest,
  checkNs,
  type RequestLimits,
} from './calc-request.js';
export {
  type Config,
  ConfigError,
  type Environment,
  LOG_FORMATS,
  LOG_LEVELS,
  parseConfig,
} from './config.js';
export { type DashboardConfig, parseDashboardConfig } from './dashboard/dashboard-config.js';
export { createDashboardServer, type DashboardServer } from './dashboard/dashboard-server.js';
export {
  CancelledError,
  DeadlineExceededError,
  ResourceExhaustedError,
  UnavailableError,
} from './errors.js';
export { type CalcEvent, decodeEvent } from './events/calc-event.js';
export { EventLog, type EventLogMonitor, type EventLogOptions } from './events/event-log.js';
export { type EventLogConfig, parseEventLogConfig } from './events/event-log-config.js';
export { EventRecorder } from './events/event-recorder.js';
export { EventReplay } from './events/event-replay.js';
export { EventSubscriber, type EventSubscriberOptions } from './events/event-subscriber.js';
export { createActorAnswerer, provideRequestMachine } from './grpc/actor-answerer.js';
export { checkHealth, normaliseAddress } from './grpc/health-check.js';
export { type GrpcStatus, INTERNAL_MESSAGE, toGrpcStatus } from './grpc/to-grpc-status.js';
export type { Answerer, CallContext } from './grpc/unary-call.js';
export {
  BullmqJobRunner,
  type BullmqJobRunnerOptions,
  CANCELLED_JOB_REASON,
} from './jobs/bullmq-job-runner.js';
export { bullmqRunnerOptions, createJobRunner } from './jobs/create-job-runner.js';
export { EmbeddedJobRunner, type EmbeddedJobRunnerOptions } from './jobs/embedded-job-runner.js';
export { type JobLease, JobRegistry, type JobRegistryStats } from './jobs/job-registry.js';
export type { JobRunner, PrimeJob } from './jobs/job-runner.js';
export { NthPrimeWorker, type NthPrimeWorkerConfig } from './jobs/nth-prime-worker.js';
export { createLogger, type Logger } from './logger.js';
export { type MetricsConfig, parseMetricsConfig } from './metrics/metrics-config.js';
export {
  type RequestEvent,
  type RequestInput,
  type RequestMachine,
  type RequestOutcome,
  requestMachine,
} from './request-machine.js';
export { combineObservers, type RequestObserver } from './request-observer.js';
export {
  type AnswererFactory,
  createServer,
  type ServerDeps,
  type TwelvefaServer,
} from './server.js';
export { createApiTelemetry, createWorkerTelemetry } from './telemetry.js';
