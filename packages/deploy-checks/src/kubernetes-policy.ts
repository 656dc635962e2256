import { objectName } from './kubernetes-schema.js';
import { runsLikeProd } from './kustomize.js';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

/** The workloads every overlay must run. */
const API_DEPLOYMENT = 'twelvefa-api';
const WORKER_DEPLOYMENT = 'twelvefa-worker';
const DASHBOARD_DEPLOYMENT = 'twelvefa-dashboard';

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

/**
 * What a liveness or startup probe must never ask: whether the pod should get traffic, or
 * whether everything it depends on is up. The API's grpc.health.v1 services `readiness`, ""
 * (the whole server, the default when a probe names none) and calc.Calc, and any HTTP path
 * about readiness (/readyz, Prometheus's /-/ready). A liveness probe that failed on them would
 * restart healthy pods for an outage of Redis, or while they drain.
 */
const READINESS_GRPC_SERVICES: readonly string[] = ['readiness', '', 'calc.Calc'];
const READINESS_PATH = /(^|\/)(-\/)?ready(z)?\/?$/i;

/** The Secret holding Memorystore's server CA, and the key of the PEM bundle in it. */
export const REDIS_CA_SECRET = 'twelvefa-redis-ca';
export const REDIS_CA_KEY = 'ca.pem';

// Whether a label selector (matchLabels and matchExpressions) selects these labels.
function selects(selector: unknown, labels: unknown): boolean {
  if (!isObject(selector) || !isObject(labels)) return false;
  const matchLabels = dig(selector, 'matchLabels');
  if (isObject(matchLabels) && !Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) {
    return false;
  }
  return asArray(dig(selector, 'matchExpressions')).every((expression) => {
    const key = String(dig(expression, 'key'));
    const values = asArray(dig(expression, 'values'));
    switch (dig(expression, 'operator')) {
      case 'In':
        return values.includes(labels[key]);
      case 'NotIn':
        return !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        return false;
    }
  });
}

function podLabels(workload: YamlObject | undefined): unknown {
  return dig(workload, 'spec', 'template', 'metadata', 'labels');
}

function containerEnv(workload: YamlObject | undefined, name: string): unknown {
  const env = asArray(dig(workload, 'spec', 'template', 'spec', 'containers', 0, 'env'));
  return env.find((e) => dig(e, 'name') === name);
}

function find(objects: readonly YamlObject[], kind: string, name: string): YamlObject | undefined {
  return objects.find((o) => o.kind === kind && dig(o, 'metadata', 'name') === name);
}

function ofKind(objects: readonly YamlObject[], kind: string): YamlObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The ConfigMap the workloads load with envFrom (its name carries kustomize's hash). */
function appConfig(objects: readonly YamlObject[]): Record<string, string> {
  const config = objects.find(
    (o) =>
      o.kind === 'ConfigMap' && String(dig(o, 'metadata', 'name')).startsWith('twelvefa-config'),
  );
  const data = dig(config, 'data');
  return isObject(data) ? (data as Record<string, string>) : {};
}

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

// METRICS_PORT is served on a port named `metrics` by the API and the workers, some
// NetworkPolicy lets a scraper reach it, and in prod a PodMonitoring scrapes it.
function metricsProblems(
  objects: readonly YamlObject[],
  config: Record<string, string>,
  workloads: readonly (YamlObject | undefined)[],
  overlay: string,
): string[] {
  const problems: string[] = [];
  const port = Number(config.METRICS_PORT);
  if (!Number.isInteger(port) || port <= 0) return ['ConfigMap: METRICS_PORT must be set'];
  const policies = ofKind(objects, 'NetworkPolicy');
  const monitors = ofKind(objects, 'PodMonitoring');
  for (const workload of workloads) {
    if (!workload) continue;
    const owner = objectName(workload);
    const ports = asArray(dig(workload, 'spec', 'template', 'spec', 'containers', 0, 'ports'));
    const metrics = ports.find((p) => dig(p, 'name') === 'metrics');
    if (dig(metrics, 'containerPort') !== port) {
      problems.push(`${owner}: a containerPort named metrics must equal METRICS_PORT ${port}`);
    }
    const labels = podLabels(workload);
    const admitted = policies.some(
      (policy) =>
        selects(dig(policy, 'spec', 'podSelector'), labels) &&
        asArray(dig(policy, 'spec', 'ingress')).some((rule) =>
          asArray(dig(rule, 'ports')).some((p) =>
            [port, 'metrics'].includes(dig(p, 'port') as never),
          ),
        ),
    );
    if (!admitted) problems.push(`${owner}: no NetworkPolicy admits the metrics scrape`);
    if (runsLikeProd(overlay)) {
      const scraped = monitors.some(
        (monitor) =>
          selects(dig(monitor, 'spec', 'selector'), labels) &&
          asArray(dig(monitor, 'spec', 'endpoints')).some((e) =>
            [port, 'metrics'].includes(dig(e, 'port') as never),
          ),
      );
      if (!scraped) problems.push(`${owner}: no PodMonitoring scrapes its metrics port`);
    }
  }
  return problems;
}

// The dashboard: REDIS_URL and (in prod) its credentials from Secrets, probes on /healthz,
// a Redis client, and reachable through nothing but a port-forward (ClusterIP Service, no
// NetworkPolicy ingress, no route).
function dashboardProblems(objects: readonly YamlObject[], overlay: string): string[] {
  const problems: string[] = [];
  const dashboard = find(objects, 'Deployment', DASHBOARD_DEPLOYMENT);
  if (!dashboard) return [`Deployment/${DASHBOARD_DEPLOYMENT} is missing`];
  const container = dig(dashboard, 'spec', 'template', 'spec', 'containers', 0);
  if (asArray(dig(container, 'command'))[0] !== 'twelvefa-dashboard') {
    problems.push('dashboard: command must be twelvefa-dashboard');
  }
  // Credentials from a Secret; or, in dev only, a password the board generates and keeps in
  // Redis (DASHBOARD_GENERATE_PASSWORD), with none written anywhere.
  const generated =
    !runsLikeProd(overlay) &&
    dig(containerEnv(dashboard, 'DASHBOARD_GENERATE_PASSWORD'), 'value') === 'true' &&
    containerEnv(dashboard, 'DASHBOARD_PASSWORD') === undefined;
  const fromSecrets = generated
    ? ['REDIS_URL']
    : ['REDIS_URL', 'DASHBOARD_USER', 'DASHBOARD_PASSWORD'];
  for (const name of fromSecrets) {
    const entry = containerEnv(dashboard, name);
    if (dig(entry, 'valueFrom', 'secretKeyRef', 'key') !== name) {
      problems.push(`dashboard: ${name} must come from a Secret reference`);
    }
  }
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
    if (dig(container, probe, 'httpGet', 'path') !== '/healthz') {
      problems.push(`dashboard: ${probe} must be an HTTP probe on /healthz`);
    }
  }
  const labels = podLabels(dashboard);
  if (dig(labels, 'twelvefa.dev/redis-client') !== 'true') {
    problems.push('dashboard: pods must carry twelvefa.dev/redis-client to reach Redis');
  }
  for (const service of ofKind(objects, 'Service')) {
    if (!selects({ matchLabels: dig(service, 'spec', 'selector') }, labels)) continue;
    const type = dig(service, 'spec', 'type') ?? 'ClusterIP';
    if (type !== 'ClusterIP')
      problems.push(`${objectName(service)}: the dashboard is ClusterIP only`);
  }
  for (const policy of ofKind(objects, 'NetworkPolicy')) {
    const opens = asArray(dig(policy, 'spec', 'ingress')).length > 0;
    if (opens && selects(dig(policy, 'spec', 'podSelector'), labels)) {
      problems.push(`${objectName(policy)}: no NetworkPolicy may admit traffic to the dashboard`);
    }
  }
  for (const route of objects.filter((o) => /Route$/.test(String(o.kind)))) {
    const backends = asArray(dig(route, 'spec', 'rules')).flatMap((r) =>
      asArray(dig(r, 'backendRefs')),
    );
    if (backends.some((b) => dig(b, 'name') === DASHBOARD_DEPLOYMENT)) {
      problems.push(`${objectName(route)}: the dashboard must not be routed from the Gateway`);
    }
  }
  return problems;
}

type Workload = { owner: string; pod: unknown };

function workloads(objects: readonly YamlObject[]): Workload[] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(String(o.kind)))
    .map((o) => ({ owner: objectName(o), pod: dig(o, 'spec', 'template') }));
}

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
function loadBalancerHealthProblems(objects: readonly YamlObject[]): string[] {
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

/**
 * Redis over TLS in prod (Memorystore, rediss://): every pod with a REDIS_URL sets
 * REDIS_TLS_CA_FILE to ca.pem of the Secret twelvefa-redis-ca, mounted read-only. Dev's
 * Redis has no TLS: no pod there may need that Secret.
 */
export function redisTlsProblems(objects: readonly YamlObject[], overlay: string): string[] {
  const problems: string[] = [];
  for (const { owner, pod } of workloads(objects)) {
    const volumes = asArray(dig(pod, 'spec', 'volumes'));
    const caVolumes = volumes.filter((v) => dig(v, 'secret', 'secretName') === REDIS_CA_SECRET);
    for (const container of asArray(dig(pod, 'spec', 'containers'))) {
      const name = `${owner} container ${String(dig(container, 'name'))}`;
      const env = asArray(dig(container, 'env'));
      const usesRedis = env.some((e) => dig(e, 'name') === 'REDIS_URL');
      const caFile = dig(
        env.find((e) => dig(e, 'name') === 'REDIS_TLS_CA_FILE'),
        'value',
      );
      if (!runsLikeProd(overlay)) {
        if (caFile !== undefined || caVolumes.length > 0) {
          problems.push(
            `${name}: ${overlay}'s Redis has no TLS; it must not need ${REDIS_CA_SECRET}`,
          );
        }
        continue;
      }
      if (!usesRedis) continue;
      if (typeof caFile !== 'string') {
        problems.push(`${name}: REDIS_TLS_CA_FILE must be set (Memorystore is rediss://)`);
        continue;
      }
      const mounted = asArray(dig(container, 'volumeMounts')).some((mount) => {
        const volume = caVolumes.find((v) => dig(v, 'name') === dig(mount, 'name'));
        if (!volume || dig(mount, 'readOnly') !== true) return false;
        const dir = String(dig(mount, 'mountPath')).replace(/\/$/, '');
        const items = asArray(dig(volume, 'secret', 'items'));
        const file =
          items.length === 0
            ? REDIS_CA_KEY
            : dig(
                items.find((i) => dig(i, 'key') === REDIS_CA_KEY),
                'path',
              );
        return file !== undefined && caFile === `${dir}/${String(file)}`;
      });
      if (!mounted) {
        problems.push(
          `${name}: REDIS_TLS_CA_FILE ${caFile} is not ${REDIS_CA_KEY} of the Secret ${REDIS_CA_SECRET} mounted read-only`,
        );
      }
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
