import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AnswerObserver } from '../answerer.js';
import { statusName } from '../grpc/to-grpc-status.js';
import { INITIAL_STATE } from '../request-machine.js';
import { createStateTimer } from '../request-state-timer.js';
import type { TransitionWatcher } from '../request-transitions.js';

/** Buckets in seconds: sub-millisecond inline answers up to minute-long nth primes near 1e12. */
const REQUEST_DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];

/**
 * The API's request metrics: calls by method and status code, their duration, the calls in
 * flight (all from the wrapper), and the time spent in each state of the request actor (from
 * the transition watcher).
 */
export class RequestMetrics {
  readonly requests: Counter<'method' | 'code'>;
  readonly duration: Histogram<'method' | 'code'>;
  readonly inFlight: Gauge<'method'>;
  readonly stateDuration: Histogram<'method' | 'state'>;
  /** Bodies the decoder could not read; answered INVALID_ARGUMENT before any answerer runs. */
  readonly malformed: Counter<'method'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'twelvefa_grpc_requests_total',
      help: 'gRPC calls answered, by method and status code.',
      labelNames: ['method', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'twelvefa_grpc_request_duration_seconds',
      help: 'Time from a call arriving to its answer being sent, by method and status code.',
      labelNames: ['method', 'code'],
      buckets: REQUEST_DURATION_BUCKETS,
      registers,
    });
    this.inFlight = new Gauge({
      name: 'twelvefa_grpc_requests_in_flight',
      help: 'gRPC calls being answered now, by method.',
      labelNames: ['method'],
      registers,
    });
    this.stateDuration = new Histogram({
      name: 'twelvefa_request_state_duration_seconds',
      help: 'Time a request actor spent in each state it left, by method and state.',
      labelNames: ['method', 'state'],
      buckets: REQUEST_DURATION_BUCKETS,
      registers,
    });
    this.malformed = new Counter({
      name: 'twelvefa_grpc_malformed_requests_total',
      help: 'gRPC calls whose request body could not be decoded (answered INVALID_ARGUMENT), by method.',
      labelNames: ['method'],
      registers,
    });
  }

  /** Counts every call. */
  readonly observer: AnswerObserver<void> = {
    started: (request) => {
      this.inFlight.inc({ method: request.method });
    },
    ended: (request, _, outcome) => {
      const labels = { method: request.method, code: statusName(outcome.status.code) };
      this.inFlight.dec({ method: request.method });
      this.requests.inc(labels);
      this.duration.observe(labels, outcome.durationMs / 1000);
    },
  };

  /** Times each state a request actor leaves. */
  readonly stateWatcher: TransitionWatcher = (call) =>
    createStateTimer(
      (state, durationMs) =>
        this.stateDuration.observe({ method: call.method, state }, durationMs / 1000),
      INITIAL_STATE,
    );
}
