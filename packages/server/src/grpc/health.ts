import {
  status as grpcStatus,
  type Server,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { service as healthService, type ServingStatus } from 'grpc-health-check';
import { HealthWatchers } from './health-watchers.js';

/** Named serving statuses of grpc.health.v1. */
export const SERVING: ServingStatus = 'SERVING';
export const NOT_SERVING: ServingStatus = 'NOT_SERVING';

/**
 * The grpc.health.v1 service names the API reports, each answering a different question:
 *
 * - `liveness`: is the process alive and its event loop answering? SERVING from the moment it
 *   is bound until it has stopped, Redis or not: a liveness probe must never restart a pod for
 *   an outage of something else.
 * - `readiness`: should calls be routed here? SERVING while bound and not shutting down. It does
 *   not follow Redis: Add, Max and n up to INLINE_MAX_N never need it, and every API replica
 *   shares the one Redis, so unrouting them all in an outage would only take those calls down
 *   too; heavy calls fail fast with UNAVAILABLE meanwhile.
 * - `""` (the server as a whole) and `calc.Calc`: can every call be served, heavy work included?
 *   Also needs the job runner ready (for BullMQ: Redis reachable and answering, so a stall
 *   shows here within 3 s).
 */
export const HEALTH_SERVICES = {
  liveness: 'liveness',
  readiness: 'readiness',
  whole: '',
  calc: 'calc.Calc',
} as const;

/** What the server knows about itself, from which every reported status follows. */
export interface ServerState {
  /** Bound and not yet stopped. */
  readonly alive: boolean;
  /** Taking calls: bound, and not shutting down. */
  readonly takingCalls: boolean;
  /** The job runner can take heavy work. */
  readonly runnerReady: boolean;
}

const status = (serving: boolean): ServingStatus => (serving ? SERVING : NOT_SERVING);

interface HealthRequest {
  readonly service: string;
}

interface HealthResponse {
  readonly status: string;
}

/** A service name as an error message quotes it: a client picks it, so it is cut short. */
function quoted(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}...` : name);
}

/**
 * grpc.health.v1 (Check, Watch, List) for the services in HEALTH_SERVICES, starting
 * NOT_SERVING. Watch is bounded (health-watchers.ts): a name is held only while a stream
 * watches it, an unknown name is answered SERVICE_UNKNOWN and never held, and one connection
 * may hold `maxWatchesPerConnection` watch streams; one more is RESOURCE_EXHAUSTED.
 */
export class ServerHealth {
  private readonly statuses = new Map<string, ServingStatus>(
    Object.values(HEALTH_SERVICES).map((service) => [service, NOT_SERVING]),
  );
  private readonly watchers: HealthWatchers;
  /** Ends each open watch stream, for shutdown. */
  private readonly openWatches = new Set<() => void>();
  private state: ServerState = { alive: false, takingCalls: false, runnerReady: false };

  constructor(maxWatchesPerConnection: number) {
    this.watchers = new HealthWatchers(maxWatchesPerConnection);
  }

  update(state: ServerState): void {
    this.state = state;
    const whole = status(state.takingCalls && state.runnerReady);
    this.set(HEALTH_SERVICES.liveness, status(state.alive));
    this.set(HEALTH_SERVICES.readiness, status(state.takingCalls));
    this.set(HEALTH_SERVICES.whole, whole);
    this.set(HEALTH_SERVICES.calc, whole);
  }

  /** Whether calls should be routed here (the `readiness` service; also /readyz). */
  get ready(): boolean {
    return this.state.takingCalls;
  }

  /** The status of the server as a whole (`""`): every call, heavy work included. */
  get status(): ServingStatus {
    return status(this.state.takingCalls && this.state.runnerReady);
  }

  /**
   * Ends every watch stream with UNAVAILABLE, after the statuses it was last sent: a stopping
   * server must not wait its whole grace for streams that never end by themselves.
   */
  endWatches(): void {
    for (const end of [...this.openWatches]) end();
  }

  addToServer(server: Server): void {
    server.addService(healthService as unknown as ServiceDefinition, {
      check: (
        call: ServerUnaryCall<HealthRequest, HealthResponse>,
        callback: sendUnaryData<HealthResponse>,
      ) => {
        const known = this.statuses.get(call.request.service);
        if (known === undefined) {
          callback({
            code: grpcStatus.NOT_FOUND,
            details: `no health status for service ${quoted(call.request.service)} (known: ${[...this.statuses.keys()].map(quoted).join(', ')})`,
          });
          return;
        }
        callback(null, { status: known });
      },
      watch: (call: ServerWritableStream<HealthRequest, HealthResponse>) => this.watch(call),
      list: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
        const statuses = Object.fromEntries(
          [...this.statuses].map(([service, serving]) => [service, { status: serving }]),
        );
        callback(null, { statuses });
      },
    });
  }

  private set(service: string, serving: ServingStatus): void {
    if (this.statuses.get(service) === serving) return;
    this.statuses.set(service, serving);
    this.watchers.notify(service, serving);
  }

  private watch(call: ServerWritableStream<HealthRequest, HealthResponse>): void {
    const { service } = call.request;
    const known = this.statuses.get(service);
    const send = (serving: string): void => {
      call.write({ status: serving });
    };
    const watch = this.watchers.admit(
      call.getPeer(),
      service,
      known === undefined ? undefined : send,
    );
    if (watch === undefined) {
      call.emit('error', {
        code: grpcStatus.RESOURCE_EXHAUSTED,
        details: `too many health watches on this connection (at most ${this.watchers.limit} open at once, HEALTH_WATCH_MAX_PER_CONNECTION): cancel one first`,
      });
      return;
    }
    const forget = (): void => {
      watch.stop();
      this.openWatches.delete(endForShutdown);
    };
    const endForShutdown = (): void => {
      forget();
      call.emit('error', {
        code: grpcStatus.UNAVAILABLE,
        details: 'the server is shutting down: watch another replica',
      });
    };
    this.openWatches.add(endForShutdown);
    call.on('cancelled', forget);
    call.on('close', forget);
    // The spec keeps a watch of an unknown service open, in case it becomes known. Ours are
    // fixed, so nothing more is ever sent on it, and nothing of it is kept but its count.
    send(known ?? 'SERVICE_UNKNOWN');
  }
}
