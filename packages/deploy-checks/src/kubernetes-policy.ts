import { objectName } from './kubernetes-schema.js';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

/** The workloads every overlay must run. */
const API_DEPLOYMENT = 'twelvefa-api';
const WORKER_DEPLOYMENT = 'twelvefa-worker';
const DASHBOARD_DEPLOYMENT = 'twelvefa-dashboard';

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

/**
 * The posture docs/cloud-native.md promises, checked on one rendered overlay:
 * hardened pods, gRPC probes on the serving port, requests and limits, grace
 * periods longer than the shutdown grace and the longest job, PDBs, topology
 * spread, the API's HPA, the workers' KEDA ScaledObject on the real queue depth,
 * NetworkPolicies, a Secret reference for REDIS_URL. Returns the problems found.
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
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      if (dig(container, probe, 'grpc', 'port') !== port) {
        problems.push(`API: ${probe} must be a native gRPC probe on PORT ${port}`);
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
  problems.push(...dashboardProblems(objects));

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
  } else if (overlay === 'prod') {
    problems.push('prod: the workers need a KEDA ScaledObject');
  }

  const policies = ofKind(objects, 'NetworkPolicy');
  const denyAll = policies.some(
    (p) =>
      isObject(dig(p, 'spec', 'podSelector')) &&
      Object.keys(dig(p, 'spec', 'podSelector') as object).length === 0 &&
      asArray(dig(p, 'spec', 'ingress')).length === 0,
  );
  if (!denyAll) problems.push('NetworkPolicy: no default deny of ingress');

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
    if (overlay === 'prod') problems.push(`${objectName(secret)}: prod must not commit Secrets`);
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
    if (overlay === 'prod') {
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

// The dashboard: credentials and REDIS_URL from Secrets, probes on /healthz, a Redis
// client, and reachable through nothing but a port-forward (ClusterIP Service, no
// NetworkPolicy ingress, no route).
function dashboardProblems(objects: readonly YamlObject[]): string[] {
  const problems: string[] = [];
  const dashboard = find(objects, 'Deployment', DASHBOARD_DEPLOYMENT);
  if (!dashboard) return [`Deployment/${DASHBOARD_DEPLOYMENT} is missing`];
  const container = dig(dashboard, 'spec', 'template', 'spec', 'containers', 0);
  if (asArray(dig(container, 'command'))[0] !== 'twelvefa-dashboard') {
    problems.push('dashboard: command must be twelvefa-dashboard');
  }
  for (const name of ['REDIS_URL', 'DASHBOARD_USER', 'DASHBOARD_PASSWORD']) {
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
