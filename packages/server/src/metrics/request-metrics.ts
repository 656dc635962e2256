import { Counter, Histogram, type Registry } from 'prom-client';
import type { AnswerObserver } from '../request/answerer.js';
import { CALC_RPCS } from '../request/calc-calls.js';
import type { CallInfo } from '../request/call-context.js';
import type { StatusCode } from '../request/call-status.js';
import { INITIAL_STATE } from '../request/request-machine.js';
import { createStateTimer } from '../request/request-state-timer.js';
import type { TransitionWatcher } from '../request/request-transitions.js';

/**
 * Buckets in seconds: sub-millisecond inline answers up to a batch of nth primes near 10^16 (one
 * is about 30 s of one core).
 */
const REQUEST_DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120,
];

/** The service every calc call belongs to, as gRPC names it, and its methods. */
const SERVICE = 'calc.Calc';

/**
 * A status code as Go's codes.Code.String() writes it ("OK", "InvalidArgument", "Canceled"),
 * the form go-grpc-prometheus put in grpc_code and the dashboards built on it match.
 */
function grpcCodeLabel(code: StatusCode): string {
  if (code === 'CANCELLED') return 'Canceled';
  if (code === 'OK') return 'OK';
  return code
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

type MethodLabels = 'grpc_type' | 'grpc_service' | 'grpc_method';

/**
 * The API's request metrics under the names and labels of go-grpc-prometheus and its
 * successors, so the gRPC ecosystem's dashboards and alerts work unchanged: calls started,
 * handled by code, messages received and sent, and the handling time (all from the wrapper);
 * and the time spent in each state of the request actor (from the transition watcher), which
 * is ours. Calls in flight are started minus handled, as in those dashboards.
 */
export class RequestMetrics {
  readonly started: Counter<MethodLabels>;
  readonly handled: Counter<MethodLabels | 'grpc_code'>;
  readonly received: Counter<MethodLabels>;
  readonly sent: Counter<MethodLabels>;
  readonly handling: Histogram<MethodLabels>;
  readonly stateDuration: Histogram<'method' | 'state'>;
  /** Bodies the decoder could not read; answered INVALID_ARGUMENT before any answerer runs. */
  readonly malformed: Counter<'method'>;
  /** Calls authentication refused, by why (access/authenticating.ts). */
  readonly refused: Counter<'reason'>;
  /** Calls over their client's rate limit, by client (a key's client name, or "anonymous"). */
  readonly rateLimited: Counter<'client'>;

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames: MethodLabels[] = ['grpc_type', 'grpc_service', 'grpc_method'];
    this.started = new Counter({
      name: 'grpc_server_started_total',
      help: 'Total number of RPCs started on the server.',
      labelNames,
      registers,
    });
    this.handled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'Total number of RPCs completed on the server, regardless of success or failure.',
      labelNames: [...labelNames, 'grpc_code'],
      registers,
    });
    this.received = new Counter({
      name: 'grpc_server_msg_received_total',
      help: 'Total number of RPC stream messages received on the server.',
      labelNames,
      registers,
    });
    this.sent = new Counter({
      name: 'grpc_server_msg_sent_total',
      help: 'Total number of gRPC stream messages sent by the server.',
      labelNames,
      registers,
    });
    this.handling = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.',
      labelNames,
      buckets: REQUEST_DURATION_BUCKETS,
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
    this.refused = new Counter({
      name: 'twelvefa_calls_refused_total',
      help: 'Calls refused by authentication: reason missing, unknown or invalid (UNAUTHENTICATED), forbidden (PERMISSION_DENIED).',
      labelNames: ['reason'],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'twelvefa_calls_rate_limited_total',
      help: 'Calls answered RESOURCE_EXHAUSTED because their client was over its rate limit, by client.',
      labelNames: ['client'],
      registers,
    });
    // Every method's series exist from the start at 0, as go-grpc-prometheus's
    // InitializeMetrics does, so rates and alerts work before the first call.
    for (const rpc of CALC_RPCS) {
      const labels = RequestMetrics.labels(rpc);
      for (const counter of [this.started, this.received, this.sent]) counter.inc(labels, 0);
      this.handling.zero(labels);
      this.malformed.inc({ method: rpc.rpc }, 0);
    }
  }

  private static labels(call: Pick<CallInfo, 'rpc' | 'rpcType'>): Record<MethodLabels, string> {
    return { grpc_type: call.rpcType, grpc_service: SERVICE, grpc_method: call.rpc };
  }

  /**
   * Counts every call the answerer sees, by its RPC. A server stream's messages sent count its
   * answer, not the progress messages before it.
   */
  readonly observer: AnswerObserver<void> = {
    started: (_, { call }) => {
      const labels = RequestMetrics.labels(call);
      this.started.inc(labels);
      this.received.inc(labels);
    },
    ended: (_, { call }, outcome) => {
      const labels = RequestMetrics.labels(call);
      const { code } = outcome.status;
      this.handled.inc({ ...labels, grpc_code: grpcCodeLabel(code) });
      if (code === 'OK') this.sent.inc(labels);
      this.handling.observe(labels, outcome.durationMs / 1000);
    },
  };

  /** Counts a call whose body could not be decoded: started, received, handled InvalidArgument. */
  countMalformed(method: string): void {
    const rpc = CALC_RPCS.find((known) => known.rpc === method);
    const labels = RequestMetrics.labels(rpc ?? { rpc: method, rpcType: 'unary' });
    this.malformed.inc({ method });
    this.started.inc(labels);
    this.received.inc(labels);
    this.handled.inc({ ...labels, grpc_code: grpcCodeLabel('INVALID_ARGUMENT') });
  }

  /** Times each state a request actor leaves. */
  readonly stateWatcher: TransitionWatcher = ({ call }) =>
    createStateTimer(
      (state, durationMs) =>
        this.stateDuration.observe({ method: call.rpc, state }, durationMs / 1000),
      INITIAL_STATE,
    );
}
