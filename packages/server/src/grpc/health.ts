import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

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
 *   Also needs the job runner ready (for BullMQ: Redis reachable).
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

/** grpc.health.v1 for every reported service, starting NOT_SERVING. */
export class ServerHealth {
  readonly implementation = new HealthImplementation(
    Object.fromEntries(Object.values(HEALTH_SERVICES).map((service) => [service, NOT_SERVING])),
  );
  private state: ServerState = { alive: false, takingCalls: false, runnerReady: false };

  update(state: ServerState): void {
    this.state = state;
    const whole = status(state.takingCalls && state.runnerReady);
    this.implementation.setStatus(HEALTH_SERVICES.liveness, status(state.alive));
    this.implementation.setStatus(HEALTH_SERVICES.readiness, status(state.takingCalls));
    this.implementation.setStatus(HEALTH_SERVICES.whole, whole);
    this.implementation.setStatus(HEALTH_SERVICES.calc, whole);
  }

  /** Whether calls should be routed here (the `readiness` service; also /readyz). */
  get ready(): boolean {
    return this.state.takingCalls;
  }

  /** The status of the server as a whole (`""`): every call, heavy work included. */
  get status(): ServingStatus {
    return status(this.state.takingCalls && this.state.runnerReady);
  }
}
