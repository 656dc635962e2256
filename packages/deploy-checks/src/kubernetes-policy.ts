import { dashboardProblems } from './dashboard-policy.js';
import { objectName } from './kubernetes-schema.js';
import { runsLikeProd } from './kustomize.js';
import { appConfig, find, ofKind } from './manifest-queries.js';
import { metricsProblems } from './metrics-policy.js';
import { loadBalancerHealthProblems, probeProblems } from './probe-policy.js';
import { redisTlsProblems } from './redis-tls-policy.js';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

/** The workloads every overlay must run (besides the dashboard, see dashboard-policy.ts). */
const API_DEPLOYMENT = 'twelvefa-api';
const WORKER_DEPLOYMENT = 'twelvefa-worker';

/** The API's probes and the grpc.health.v1 service each asks about. */
const API_PROBES = [
  ['startupProbe', 'liveness'],
  ['readinessProbe', 'readiness'],
  ['livenessProbe', 'liveness'],
] as const;

/** The workers' probes and the path of METRICS_PORT each asks. */
const WORKER_PROBES = [
  ['startupProbe', '/livez'],
  ['readinessProbe', '/readyz'],
  ['livenessProbe', '/livez'],
] as const;

// A container's own SHUTDOWN_GRACE_MS wins over the ConfigMap's (env beats envFrom).
function effectiveGraceMs(pod: unknown, fromConfigMap: number): number {
  const env = asArray(dig(pod, 'spec', 'containers', 0, 'env'));
  const own = env.find((e) => dig(e, 'name') === 'SHUTDOWN_GRACE_MS');
  return own === undefined ? fromConfigMap : Number(dig(own, 'value'));
}

function podChecks(owner: string, pod: unknown, problems: string[]): void {
  const spec = dig(pod, 'spec');
  if (dig(spec, 'securityContext', 'runAsNonRoot') !== true) {
    problems.push(`${owner}: pod securityContext.runAsNonRoot must be true`);
  }
  const runAsUser = dig(spec, 'securityContext', 'runAsUser');
  if (typeof runAsUser !== 'number' || runAsUser === 0) {
    problems.push(`${owner}: pod securityContext.runAsUser must be a non-zero number`);
  }
  if (dig(spec, 'securityContext', 'seccompProfile', 'type') !== 'RuntimeDefault') {
    problems.push(`${owner}: seccompProfile must be RuntimeDefault`);
  }
  if (dig(spec, 'automountServiceAccountToken') !== false) {
    problems.push(`${owner}: automountServiceAccountToken must be false`);
  }
  for (const container of asArray(dig(spec, 'containers'))) {
    const name = `${owner} container ${String(dig(container, 'name'))}`;
    const security = dig(container, 'securityContext');
    if (dig(security, 'readOnlyRootFilesystem') !== true) {
      problems.push(`${name}: readOnlyRootFilesystem must be true`);
    }
    if (dig(security, 'allowPrivilegeEscalation') !== false) {
      problems.push(`${name}: allowPrivilegeEscalation must be false`);
    }
    const dropped = asArray(dig(security, 'capabilities', 'drop'));
    if (!dropped.includes('ALL')) problems.push(`${name}: capabilities must drop ALL`);
    if (asArray(dig(security, 'capabilities', 'add')).length > 0) {
      problems.push(`${name}: must add no capability`);
    }
    for (const kind of ['cpu', 'memory']) {
      if (dig(container, 'resources', 'requests', kind) === undefined) {
        problems.push(`${name}: resources.requests.${kind} is missing`);
      }
      if (dig(container, 'resources', 'limits', kind) === undefined) {
        problems.push(`${name}: resources.limits.${kind} is missing`);
      }
    }
  }
}

function spreads(owner: string, pod: unknown, problems: string[]): void {
  const keys = asArray(dig(pod, 'spec', 'topologySpreadConstraints')).map((c) =>
    dig(c, 'topologyKey'),
  );
  for (const key of ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']) {
    if (!keys.includes(key)) problems.push(`${owner}: no topology spread over ${key}`);
  }
}

function hasPdbFor(objects: readonly YamlObject[], labels: unknown): boolean {
  if (!isObject(labels)) return false;
  return ofKind(objects, 'PodDisruptionBudget').some((pdb) => {
    const selector = dig(pdb, 'spec', 'selector', 'matchLabels');
    return isObject(selector) && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

// A NetworkPolicy selecting every pod and admitting nothing.
function hasDefaultDeny(objects: readonly YamlObject[]): boolean {
  return ofKind(objects, 'NetworkPolicy').some(
    (p) =>
      isObject(dig(p, 'spec', 'podSelector')) &&
      Object.keys(dig(p, 'spec', 'podSelector') as object).length === 0 &&
      asArray(dig(p, 'spec', 'ingress')).length === 0,
  );
}

/**
 * The posture docs/cloud-native.md promises, checked on one rendered overlay:
 * hardened pods, requests and limits, the health contract's probes (the API's gRPC
 * liveness and readiness services, the workers' /livez and /readyz, no liveness probe on
 * a readiness endpoint, the load balancer's check on readiness), grace periods longer
 * than the shutdown grace and the longest job, PDBs, topology spread, the API's HPA, the
 * workers' KEDA ScaledObject on the real queue depth, NetworkPolicies, REDIS_URL from a
 * Secret, and in prod the Redis CA mounted for every Redis client. Returns the problems
 * found.
 */
export function policyProblems(objects: readonly YamlObject[], overlay: string): string[] {
  const problems: string[] = [];
  const config = appConfig(objects);
  const port = Number(config.PORT);
  const shutdownGraceMs = Number(config.SHUTDOWN_GRACE_MS);
  if (!Number.isInteger(port) || port <= 0) problems.push('ConfigMap: PORT must be set');
  if (!Number.isInteger(shutdownGraceMs)) problems.push('ConfigMap: SHUTDOWN_GRACE_MS must be set');

  for (const object of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'StatefulSet')]) {
    const owner = objectName(object);
    const pod = dig(object, 'spec', 'template');
    podChecks(owner, pod, problems);
    // The serving workloads; the dashboard is one replica of an operator's tool.
    const serving = [API_DEPLOYMENT, WORKER_DEPLOYMENT].includes(
      String(dig(object, 'metadata', 'name')),
    );
    if (serving && !hasPdbFor(objects, dig(pod, 'metadata', 'labels'))) {
      problems.push(`${owner}: no PodDisruptionBudget selects its pods`);
    }
    const grace = Number(dig(pod, 'spec', 'terminationGracePeriodSeconds'));
    if (object.kind === 'Deployment' && !(grace * 1000 > effectiveGraceMs(pod, shutdownGraceMs))) {
      problems.push(`${owner}: terminationGracePeriodSeconds must exceed SHUTDOWN_GRACE_MS`);
    }
  }

  const api = find(objects, 'Deployment', API_DEPLOYMENT);
  const worker = find(objects, 'Deployment', WORKER_DEPLOYMENT);
  if (!api) problems.push(`Deployment/${API_DEPLOYMENT} is missing`);
  if (!worker) problems.push(`Deployment/${WORKER_DEPLOYMENT} is missing`);

  if (api) {
    spreads(objectName(api), dig(api, 'spec', 'template'), problems);
    const container = dig(api, 'spec', 'template', 'spec', 'containers', 0);
    if (dig(container, 'ports', 0, 'containerPort') !== port) {
      problems.push('API: containerPort must equal the ConfigMap PORT');
    }
    // The health contract (packages/server/src/grpc/health.ts): `liveness` never follows
    // Redis, `readiness` follows shutdown only.
    for (const [probe, service] of API_PROBES) {
      if (
        dig(container, probe, 'grpc', 'port') !== port ||
        dig(container, probe, 'grpc', 'service') !== service
      ) {
        problems.push(
          `API: ${probe} must be a native gRPC probe on PORT ${port} for the service ${service}`,
        );
      }
    }
    const hpa = ofKind(objects, 'HorizontalPodAutoscaler').find(
      (h) => dig(h, 'spec', 'scaleTargetRef', 'name') === API_DEPLOYMENT,
    );
    const cpu = asArray(dig(hpa, 'spec', 'metrics')).find(
      (m) => dig(m, 'type') === 'Resource' && dig(m, 'resource', 'name') === 'cpu',
    );
    if (!cpu) problems.push('API: no HorizontalPodAutoscaler on CPU');
    if (dig(api, 'spec', 'replicas') !== undefined) {
      problems.push('API: replicas belongs to the HPA; remove it from the Deployment');
    }
  }

  if (worker) {
    const pod = dig(worker, 'spec', 'template');
    spreads(objectName(worker), pod, problems);
    const container = dig(pod, 'spec', 'containers', 0);
    for (const [probe, path] of WORKER_PROBES) {
      if (
        dig(container, probe, 'httpGet', 'path') !== path ||
        dig(container, probe, 'httpGet', 'port') !== 'metrics'
      ) {
        problems.push(`worker: ${probe} must be an HTTP probe on ${path} of the port metrics`);
      }
    }
    const chunk = Number(
      dig(pod, 'metadata', 'annotations', 'twelvefa.dev/longest-job-chunk-seconds'),
    );
    if (!Number.isFinite(chunk) || !(effectiveGraceMs(pod, shutdownGraceMs) > chunk * 1000)) {
      problems.push('worker: SHUTDOWN_GRACE_MS must exceed the longest job chunk');
    }
  }

  for (const workload of [api, worker]) {
    if (!workload) continue;
    const env = asArray(dig(workload, 'spec', 'template', 'spec', 'containers', 0, 'env'));
    const redis = env.find((e) => dig(e, 'name') === 'REDIS_URL');
    if (dig(redis, 'valueFrom', 'secretKeyRef', 'key') !== 'REDIS_URL') {
      problems.push(`${objectName(workload)}: REDIS_URL must come from a Secret reference`);
    }
  }

  problems.push(...metricsProblems(objects, config, [api, worker], overlay));
  problems.push(...dashboardProblems(objects, overlay));
  problems.push(...probeProblems(objects));
  problems.push(...redisTlsProblems(objects, overlay));
  problems.push(...loadBalancerHealthProblems(objects));

  const scaled = ofKind(objects, 'ScaledObject').find(
    (s) => dig(s, 'spec', 'scaleTargetRef', 'name') === WORKER_DEPLOYMENT,
  );
  if (scaled) {
    for (const trigger of asArray(dig(scaled, 'spec', 'triggers'))) {
      const query = String(dig(trigger, 'metadata', 'query') ?? '');
      for (const state of ['waiting', 'prioritized', 'active']) {
        if (!query.includes(state)) problems.push(`ScaledObject: query must count ${state} jobs`);
      }
      if (!query.includes(`queue="${config.QUEUE_NAME}"`)) {
        problems.push('ScaledObject: query must select the ConfigMap QUEUE_NAME');
      }
      // Every API replica exports the same shared queue: summing the replicas' series
      // would multiply the depth by the replica count.
      if (!/^sum\(max by \(state\) \(bullmq_job_count\{[^}]*\}\)\)$/.test(query)) {
        problems.push(
          'ScaledObject: query must be sum(max by (state) (bullmq_job_count{...})): each API replica exports the same queue',
        );
      }
    }
    if (asArray(dig(scaled, 'spec', 'triggers')).length === 0)
      problems.push('ScaledObject: no trigger');
  } else if (runsLikeProd(overlay)) {
    problems.push(`${overlay}: the workers need a KEDA ScaledObject`);
  }

  if (!hasDefaultDeny(objects)) problems.push('NetworkPolicy: no default deny of ingress');

  const headless = ofKind(objects, 'Service').some(
    (s) =>
      dig(s, 'spec', 'clusterIP') === 'None' &&
      dig(s, 'spec', 'selector', 'app.kubernetes.io/component') === 'api',
  );
  if (!headless) problems.push('API: no headless Service');

  for (const secret of ofKind(objects, 'Secret')) {
    const values = [
      ...Object.values((dig(secret, 'data') as object) ?? {}),
      ...Object.values((dig(secret, 'stringData') as object) ?? {}),
    ];
    for (const value of values) {
      const text = Buffer.from(String(value), 'base64').toString('utf8');
      if (/:\/\/[^/@]*:[^/@]+@/.test(text))
        problems.push(`${objectName(secret)}: holds a password`);
    }
    if (runsLikeProd(overlay)) {
      problems.push(`${objectName(secret)}: ${overlay} must not commit Secrets`);
    }
  }
  return problems;
}

/**
 * The posture of the cluster prerequisites this repository deploys beside the app
 * (infra/k8s/platform): hardened pods with requests and limits, liveness and readiness
 * probes that keep apart, a PodDisruptionBudget for each workload, and a default deny of
 * ingress. Returns the problems found.
 */
export function platformPolicyProblems(objects: readonly YamlObject[]): string[] {
  const problems: string[] = [];
  for (const object of ofKind(objects, 'Deployment')) {
    const pod = dig(object, 'spec', 'template');
    podChecks(objectName(object), pod, problems);
    if (!hasPdbFor(objects, dig(pod, 'metadata', 'labels'))) {
      problems.push(`${objectName(object)}: no PodDisruptionBudget selects its pods`);
    }
  }
  problems.push(...probeProblems(objects));
  if (!hasDefaultDeny(objects)) problems.push('NetworkPolicy: no default deny of ingress');
  return problems;
}
