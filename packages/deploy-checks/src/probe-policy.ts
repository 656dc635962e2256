import { objectName } from './kubernetes-schema.js';
import { ofKind, workloads } from './manifest-queries.js';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

/**
 * What a liveness or startup probe must never ask: whether the pod should get traffic, or
 * whether everything it depends on is up. The API's grpc.health.v1 services `readiness`, ""
 * (the whole server, the default when a probe names none) and calc.Calc, and any HTTP path
 * about readiness (/readyz, Prometheus's /-/ready). A liveness probe that failed on them would
 * restart healthy pods for an outage of Redis, or while they drain.
 */
const READINESS_GRPC_SERVICES: readonly string[] = ['readiness', '', 'calc.Calc'];
const READINESS_PATH = /(^|\/)(-\/)?ready(z)?\/?$/i;

/**
 * Liveness is not readiness: every container of every workload has a liveness and a
 * readiness probe, and no liveness or startup probe asks a readiness question (see
 * READINESS_GRPC_SERVICES). Returns the problems found.
 */
export function probeProblems(objects: readonly YamlObject[]): string[] {
  const problems: string[] = [];
  for (const { owner, pod } of workloads(objects)) {
    for (const container of asArray(dig(pod, 'spec', 'containers'))) {
      const name = `${owner} container ${String(dig(container, 'name'))}`;
      for (const probe of ['livenessProbe', 'readinessProbe']) {
        if (!isObject(dig(container, probe))) problems.push(`${name}: no ${probe}`);
      }
      for (const probe of ['livenessProbe', 'startupProbe']) {
        const spec = dig(container, probe);
        if (!isObject(spec)) continue;
        const grpc = dig(spec, 'grpc');
        if (isObject(grpc)) {
          const service = typeof grpc.service === 'string' ? grpc.service : '';
          if (READINESS_GRPC_SERVICES.includes(service)) {
            problems.push(
              `${name}: ${probe} asks the gRPC health service ${JSON.stringify(service)}, a readiness question; ask liveness`,
            );
          }
        }
        const path = dig(spec, 'httpGet', 'path');
        if (typeof path === 'string' && READINESS_PATH.test(path)) {
          problems.push(`${name}: ${probe} asks ${path}, a readiness endpoint`);
        }
      }
    }
  }
  return problems;
}

// The load balancer routes calls: its health check asks the readiness question, like the
// kubelet's readiness probe, never the whole server's status (which follows Redis).
export function loadBalancerHealthProblems(objects: readonly YamlObject[]): string[] {
  const problems: string[] = [];
  for (const policy of ofKind(objects, 'HealthCheckPolicy')) {
    const config = dig(policy, 'spec', 'default', 'config');
    if (dig(config, 'type') !== 'GRPC') continue;
    if (dig(config, 'grpcHealthCheck', 'grpcServiceName') !== 'readiness') {
      problems.push(`${objectName(policy)}: the GRPC health check must ask the service readiness`);
    }
  }
  return problems;
}
