import { objectName } from './kubernetes-schema.js';
import { runsLikeProd } from './kustomize.js';
import { containerEnv, find, ofKind, podLabels, selects } from './manifest-queries.js';
import { asArray, dig, type YamlObject } from './yaml-documents.js';

/** The dashboard's Deployment, which every overlay must run. */
const DASHBOARD_DEPLOYMENT = 'twelvefa-dashboard';

// The dashboard: REDIS_URL and (in prod) its credentials from Secrets, probes on /healthz,
// a Redis client, and reachable through nothing but a port-forward (ClusterIP Service, no
// NetworkPolicy ingress, no route).
export function dashboardProblems(objects: readonly YamlObject[], overlay: string): string[] {
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
