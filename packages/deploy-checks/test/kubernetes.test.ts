import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyProblems } from '../src/kubernetes-policy.js';
import { schemaProblems } from '../src/kubernetes-schema.js';
import { OVERLAYS, type Overlay, renderKustomization, renderOverlay } from '../src/kustomize.js';
import { asArray, dig, type YamlObject } from '../src/yaml-documents.js';

const rendered = new Map<Overlay, YamlObject[]>();

beforeAll(async () => {
  for (const overlay of OVERLAYS) rendered.set(overlay, await renderOverlay(overlay));
});

function objects(overlay: Overlay): YamlObject[] {
  const list = rendered.get(overlay);
  if (!list) throw new Error(`${overlay} was not rendered`);
  return list;
}

function named(overlay: Overlay, kind: string, name: string): YamlObject {
  const found = objects(overlay).find(
    (o) => o.kind === kind && dig(o, 'metadata', 'name') === name,
  );
  if (!found) throw new Error(`${overlay}: ${kind}/${name} is missing`);
  return found;
}

describe.each(OVERLAYS)('the %s overlay', (overlay) => {
  it('renders with kubectl kustomize', () => {
    expect(objects(overlay).length).toBeGreaterThan(10);
  });

  it('holds only objects valid against their schemas, with no unknown field', async () => {
    const problems: string[] = [];
    for (const object of objects(overlay)) problems.push(...(await schemaProblems(object)));
    expect(problems).toEqual([]);
  });

  it('meets the security, probe, scaling and disruption policy', () => {
    expect(policyProblems(objects(overlay), overlay)).toEqual([]);
  });
});

describe('the dev overlay', () => {
  it('runs Redis as a StatefulSet with a volume, reachable only by its clients', () => {
    const redis = named('dev', 'StatefulSet', 'redis');
    expect(asArray(dig(redis, 'spec', 'volumeClaimTemplates')).length).toBe(1);
    expect(dig(redis, 'spec', 'template', 'spec', 'containers', 0, 'args')).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
    const policy = named('dev', 'NetworkPolicy', 'redis-ingress');
    expect(dig(policy, 'spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchLabels')).toEqual({
      'twelvefa.dev/redis-client': 'true',
    });
    for (const name of ['twelvefa-api', 'twelvefa-worker', 'twelvefa-dashboard']) {
      const labels = dig(
        named('dev', 'Deployment', name),
        'spec',
        'template',
        'metadata',
        'labels',
      );
      expect(labels).toMatchObject({ 'twelvefa.dev/redis-client': 'true' });
    }
  });

  it('runs two workers, as docker-compose.yml does, without KEDA', () => {
    expect(dig(named('dev', 'Deployment', 'twelvefa-worker'), 'spec', 'replicas')).toBe(2);
    expect(objects('dev').some((o) => o.kind === 'ScaledObject')).toBe(false);
  });
});

describe.each(OVERLAYS)('the dashboard in the %s overlay', (overlay) => {
  it('is reached only through a ClusterIP Service, with credentials from a Secret not in git', () => {
    const service = named(overlay, 'Service', 'twelvefa-dashboard');
    expect(dig(service, 'spec', 'type')).toBe('ClusterIP');
    expect(dig(service, 'spec', 'ports', 0, 'port')).toBe(3001);
    const dashboard = named(overlay, 'Deployment', 'twelvefa-dashboard');
    const env = asArray(dig(dashboard, 'spec', 'template', 'spec', 'containers', 0, 'env'));
    const password = env.find((e) => dig(e, 'name') === 'DASHBOARD_PASSWORD');
    expect(dig(password, 'valueFrom', 'secretKeyRef', 'name')).toBe('twelvefa-dashboard');
    expect(
      objects(overlay).some(
        (o) =>
          o.kind === 'Secret' &&
          String(dig(o, 'metadata', 'name')).startsWith('twelvefa-dashboard'),
      ),
    ).toBe(false);
  });
});

describe('the prod overlay', () => {
  it('has Managed Prometheus scrape the API and the workers, through their NetworkPolicy', () => {
    const monitor = named('prod', 'PodMonitoring', 'twelvefa');
    expect(dig(monitor, 'spec', 'endpoints', 0, 'port')).toBe('metrics');
    expect(dig(monitor, 'spec', 'selector', 'matchExpressions', 0, 'values')).toEqual([
      'api',
      'worker',
    ]);
    const policy = named('prod', 'NetworkPolicy', 'twelvefa-metrics-ingress');
    expect(
      dig(policy, 'spec', 'ingress', 0, 'from', 0, 'namespaceSelector', 'matchLabels'),
    ).toEqual({
      'kubernetes.io/metadata.name': 'gmp-system',
    });
  });

  it('reads the queue depth once per state, however many API replicas export it', () => {
    const scaled = named('prod', 'ScaledObject', 'twelvefa-worker');
    expect(dig(scaled, 'spec', 'triggers', 0, 'metadata', 'query')).toBe(
      'sum(max by (state) (bullmq_job_count{namespace="twelvefa", queue="nth-prime", state=~"waiting|prioritized|active"}))',
    );
  });

  it('exposes only calc.Calc through a TLS Gateway on GKE', () => {
    const gateway = named('prod', 'Gateway', 'twelvefa');
    expect(dig(gateway, 'spec', 'gatewayClassName')).toBe('gke-l7-global-external-managed');
    const listener = dig(gateway, 'spec', 'listeners', 0);
    expect(dig(listener, 'protocol')).toBe('HTTPS');
    expect(dig(listener, 'tls', 'mode')).toBe('Terminate');
    const route = named('prod', 'GRPCRoute', 'twelvefa');
    expect(dig(route, 'spec', 'rules', 0, 'matches', 0, 'method', 'service')).toBe('calc.Calc');
    expect(dig(route, 'spec', 'rules', 0, 'backendRefs', 0, 'name')).toBe('twelvefa-api');
    const service = named('prod', 'Service', 'twelvefa-api');
    expect(dig(service, 'spec', 'ports', 0, 'appProtocol')).toBe('kubernetes.io/h2c');
    const check = named('prod', 'HealthCheckPolicy', 'twelvefa-api');
    expect(dig(check, 'spec', 'default', 'config', 'type')).toBe('GRPC');
  });

  it('uses Memorystore: no Redis in the cluster and no Secret in git', () => {
    expect(objects('prod').some((o) => o.kind === 'StatefulSet')).toBe(false);
    expect(objects('prod').some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('scales workers with KEDA on the queue depth and the API on CPU', () => {
    const scaled = named('prod', 'ScaledObject', 'twelvefa-worker');
    expect(dig(scaled, 'spec', 'triggers', 0, 'type')).toBe('prometheus');
    expect(dig(scaled, 'spec', 'fallback', 'replicas')).toBeGreaterThan(0);
  });
});

describe('the checks themselves', () => {
  let scratch = '';

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'twelvefa-k8s-'));
  });

  afterAll(async () => {
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  function mutatedApi(change: (deployment: YamlObject) => void): YamlObject[] {
    const copy = structuredClone(objects('prod'));
    const api = copy.find(
      (o) => o.kind === 'Deployment' && dig(o, 'metadata', 'name') === 'twelvefa-api',
    );
    if (!api) throw new Error('no API');
    change(api);
    return copy;
  }

  it('rejects a misspelt field and a wrongly typed one', async () => {
    const [api] = mutatedApi(() => undefined).filter((o) => o.kind === 'Deployment');
    if (!api) throw new Error('no API');
    const container = dig(api, 'spec', 'template', 'spec', 'containers', 0) as YamlObject;
    container.imagePullPolicyy = 'Always';
    (dig(container, 'readinessProbe', 'grpc') as YamlObject).port = 'grpc';
    const problems = await schemaProblems(api);
    expect(problems.join('\n')).toMatch(/unknown field .*imagePullPolicyy/);
    expect(problems.join('\n')).toMatch(/readinessProbe\/grpc\/port/);
  });

  it('rejects a root container, an HTTP probe and a short grace period', () => {
    const broken = mutatedApi((api) => {
      const spec = dig(api, 'spec', 'template', 'spec') as YamlObject;
      spec.terminationGracePeriodSeconds = 5;
      (spec.securityContext as YamlObject).runAsNonRoot = false;
      const container = dig(spec, 'containers', 0) as YamlObject;
      container.livenessProbe = { httpGet: { path: '/', port: 80 } };
    });
    const problems = policyProblems(broken, 'prod').join('\n');
    expect(problems).toMatch(/runAsNonRoot/);
    expect(problems).toMatch(/livenessProbe must be a native gRPC probe/);
    expect(problems).toMatch(/terminationGracePeriodSeconds must exceed SHUTDOWN_GRACE_MS/);
  });

  it('rejects a ScaledObject that counts the wait list alone', () => {
    const copy = structuredClone(objects('prod'));
    const scaled = copy.find((o) => o.kind === 'ScaledObject');
    const metadata = dig(scaled, 'spec', 'triggers', 0, 'metadata') as YamlObject;
    metadata.query = 'sum(bullmq_job_count{queue="nth-prime", state="waiting"})';
    expect(policyProblems(copy, 'prod').join('\n')).toMatch(/count prioritized jobs/);
  });

  it('rejects a query that sums the queue over the API replicas', () => {
    const copy = structuredClone(objects('prod'));
    const scaled = copy.find((o) => o.kind === 'ScaledObject');
    const metadata = dig(scaled, 'spec', 'triggers', 0, 'metadata') as YamlObject;
    metadata.query =
      'sum(bullmq_job_count{queue="nth-prime", state=~"waiting|prioritized|active"})';
    expect(policyProblems(copy, 'prod').join('\n')).toMatch(
      /each API replica exports the same queue/,
    );
  });

  it('rejects a PodMonitoring with a misspelt field, a bad interval or no endpoint', async () => {
    const monitor = structuredClone(named('prod', 'PodMonitoring', 'twelvefa'));
    const endpoint = dig(monitor, 'spec', 'endpoints', 0) as YamlObject;
    endpoint.interval = '15 seconds';
    endpoint.scrapeTimeout = '10s';
    const problems = (await schemaProblems(monitor)).join('\n');
    expect(problems).toMatch(/endpoints\/0\/interval must match pattern/);
    expect(problems).toMatch(/must NOT have additional properties/);
    (monitor.spec as YamlObject).endpoints = [];
    expect((await schemaProblems(monitor)).join('\n')).toMatch(
      /endpoints must NOT have fewer than 1 items/,
    );
  });

  it('rejects an exposed dashboard, a committed password and an API without a metrics port', () => {
    const copy = structuredClone(objects('prod'));
    const service = copy.find(
      (o) => o.kind === 'Service' && dig(o, 'metadata', 'name') === 'twelvefa-dashboard',
    );
    (service?.spec as YamlObject).type = 'LoadBalancer';
    copy.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'open-dashboard' },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/component': 'dashboard' } },
        ingress: [{}],
      },
    });
    const dashboard = copy.find(
      (o) => o.kind === 'Deployment' && dig(o, 'metadata', 'name') === 'twelvefa-dashboard',
    );
    const env = asArray(dig(dashboard, 'spec', 'template', 'spec', 'containers', 0, 'env'));
    const password = env.find((e) => dig(e, 'name') === 'DASHBOARD_PASSWORD') as YamlObject;
    delete password.valueFrom;
    password.value = 'hunter2';
    const api = copy.find(
      (o) => o.kind === 'Deployment' && dig(o, 'metadata', 'name') === 'twelvefa-api',
    );
    const container = dig(api, 'spec', 'template', 'spec', 'containers', 0) as YamlObject;
    container.ports = asArray(container.ports).slice(0, 1);
    const problems = policyProblems(copy, 'prod').join('\n');
    expect(problems).toMatch(/Service\/twelvefa-dashboard: the dashboard is ClusterIP only/);
    expect(problems).toMatch(/NetworkPolicy\/open-dashboard: no NetworkPolicy may admit/);
    expect(problems).toMatch(/DASHBOARD_PASSWORD must come from a Secret reference/);
    expect(problems).toMatch(/twelvefa-api: a containerPort named metrics must equal METRICS_PORT/);
  });

  it('fails to render a kustomization that names a missing file', async () => {
    await writeFile(
      join(scratch, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n',
    );
    await expect(renderKustomization(scratch)).rejects.toThrow(/kubectl kustomize/);
  });
});
