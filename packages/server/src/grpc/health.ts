import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

/** Service names whose health is reported: the server as a whole ("") and calc.Calc. */
const HEALTH_SERVICES = ['', 'calc.Calc'] as const;

/** Named serving statuses of grpc.health.v1. */
export const SERVING: ServingStatus = 'SERVING';
export const NOT_SERVING: ServingStatus = 'NOT_SERVING';

/** grpc.health.v1 for every reported service, starting NOT_SERVING. */
export class ServerHealth {
  readonly implementation = new HealthImplementation(
    Object.fromEntries(HEALTH_SERVICES.map((service) => [service, NOT_SERVING])),
  );
  private current: ServingStatus = NOT_SERVING;

  set(servingStatus: ServingStatus): void {
    if (servingStatus === this.current) return;
    this.current = servingStatus;
    for (const service of HEALTH_SERVICES) this.implementation.setStatus(service, servingStatus);
  }

  get status(): ServingStatus {
    return this.current;
  }
}
