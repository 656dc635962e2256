import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { missingDocPaths } from '../src/doc-references.js';
import { kindClusterProblems } from '../src/kind-config-schema.js';
import { platformPolicyProblems, policyProblems } from '../src/kubernetes-policy.js';
import { schemaProblems } from '../src/kubernetes-schema.js';
import {
  OVERLAYS,
  type Overlay,
  PLATFORM,
  type Platform,
  renderKustomization,
  renderOverlay,
  renderPlatform,
  runsLikeProd,
} from '../src/kustomize.js';
import { probeProblems } from '../src/probe-policy.js';
import { redisTlsProblems } from '../src/redis-tls-policy.js';
import { REPO_ROOT, repoPath } from '../src/repo-root.js';
import {
  applyPosition,
  callerInputs,
  deployJobProducers,
  podReferences,
  renderedProducers,
  unproducedReferences,
  type WorkflowInputs,
} from '../src/secret-provenance.js';
import { asArray, dig, type YamlObject } from '../src/yaml-documents.js';

const rendered = new Map<Overlay, YamlObject[]>();
const platform = new Map<Platform, YamlObject[]>();
/** deploy.yml, the reusable workflow that deploys, and the inputs deliver.yml gives it. */
let deploy = '';
let runs: WorkflowInputs[] = [];

beforeAll(async () => {
  for (const overlay of OVERLAYS) rendered.set(overlay, await renderOverlay(overlay));
  for (const name of PLATFORM) platform.set(name, await renderPlatform(name));
  deploy = await readFile(repoPath('.github/workflows/deploy.yml'), 'utf8');
  const deliver = await readFile(repoPath('.github/workflows/deliver.yml'), 'utf8');
  runs = callerInputs(deliver, './.github/workflows/deploy.yml');
});

/** Where each rendered kustomization is, and whether the deploy job applies it. */
const DIRS: Record<Overlay | Platform, string> = {
  dev: 'infra/k8s/overlays/dev',
  prod: 'infra/k8s/overlays/prod',
  staging: 'infra/k8s/overlays/staging',
  'gmp-frontend': 'infra/k8s/platform/gmp-frontend',
};
const DEPLOYED: readonly string[] = ['prod', 'staging', 'gmp-frontend'];

function platformObjects(name: Platform): YamlObject[] {
  const list = platform.get(name);
  if (!list) throw new Error(`${name} was not rendered`);
  return list;
}

// The references nothing produces, for a kustomization the deploy job applies or not.
function unproduced(name: Overlay | Platform, objects: readonly YamlObject[], workflow: string) {
  const deployed = DEPLOYED.includes(name);
  return unproducedReferences(
    podReferences(objects),
    [
      ...renderedProducers(objects),
      ...(deployed ? deployJobProducers(workflow, 'deploy', runs) : []),
    ],
    deployed ? (applyPosition(workflow, DIRS[name], 'deploy', runs) ?? -1) : undefined,
  );
}

function isObjectValue(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function objectKey(object: YamlObject): string {
  return `${String(object.kind)}/${String(dig(object, 'metadata', 'name'))}`;
}

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
  it('is reached only through a ClusterIP Service, with no password in git', () => {
    const service = named(overlay, 'Service', 'twelvefa-dashboard');
    expect(dig(service, 'spec', 'type')).toBe('ClusterIP');
    expect(dig(service, 'spec', 'ports', 0, 'port')).toBe(3001);
    const dashboard = named(overlay, 'Deployment', 'twelvefa-dashboard');
    const env = asArray(dig(dashboard, 'spec', 'template', 'spec', 'containers', 0, 'env'));
    const value = (name: string) => env.find((e) => dig(e, 'name') === name);
    if (runsLikeProd(overlay)) {
      // Written by the deploy job from Secret Manager (Terraform's random_password).
      const password = value('DASHBOARD_PASSWORD');
      expect(dig(password, 'valueFrom', 'secretKeyRef', 'name')).toBe('twelvefa-dashboard');
      expect(value('DASHBOARD_GENERATE_PASSWORD')).toBeUndefined();
    } else {
      // Generated at the first start and kept in Redis: no Secret to write by hand.
      expect(value('DASHBOARD_PASSWORD')).toBeUndefined();
      expect(dig(value('DASHBOARD_GENERATE_PASSWORD'), 'value')).toBe('true');
      expect(dig(value('DASHBOARD_USER'), 'value')).toBe('operator');
    }
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

describe.each(OVERLAYS)('the health contract in the %s overlay', (overlay) => {
  function container(name: string): YamlObject {
    return dig(
      named(overlay, 'Deployment', name),
      'spec',
      'template',
      'spec',
      'containers',
      0,
    ) as YamlObject;
  }

  it('probes the API: startup and liveness on `liveness`, readiness on `readiness`', () => {
    const api = container('twelvefa-api');
    expect(dig(api, 'startupProbe', 'grpc')).toEqual({ port: 80, service: 'liveness' });
    expect(dig(api, 'readinessProbe', 'grpc')).toEqual({ port: 80, service: 'readiness' });
    expect(dig(api, 'livenessProbe', 'grpc')).toEqual({ port: 80, service: 'liveness' });
  });

  it('probes the workers: /livez for startup and liveness, /readyz for readiness', () => {
    const worker = container('twelvefa-worker');
    expect(dig(worker, 'startupProbe', 'httpGet')).toEqual({ path: '/livez', port: 'metrics' });
    expect(dig(worker, 'readinessProbe', 'httpGet')).toEqual({ path: '/readyz', port: 'metrics' });
    expect(dig(worker, 'livenessProbe', 'httpGet')).toEqual({ path: '/livez', port: 'metrics' });
  });

  it('has liveness and readiness probes on every container, and no liveness on readiness', () => {
    expect(probeProblems(objects(overlay))).toEqual([]);
  });

  it('needs no Secret or ConfigMap that nothing in the repository produces', () => {
    const references = podReferences(objects(overlay));
    expect(references.length).toBeGreaterThan(5);
    expect(unproduced(overlay, objects(overlay), deploy)).toEqual([]);
  });
});

describe('who may call the API', () => {
  const apiEnv = (overlay: Overlay) =>
    asArray(
      dig(
        named(overlay, 'Deployment', 'twelvefa-api'),
        'spec',
        'template',
        'spec',
        'containers',
        0,
        'env',
      ),
    );
  const value = (overlay: Overlay, name: string) =>
    dig(
      apiEnv(overlay).find((e) => dig(e, 'name') === name),
      'value',
    );

  it('in prod: only holders of a key from the mounted Secret, each within a rate limit', () => {
    expect(value('prod', 'AUTH_KEYS_FILE')).toBe('/etc/twelvefa/api-keys/keys.json');
    expect(Number(value('prod', 'RATE_LIMIT_CPU_SECONDS'))).toBeGreaterThan(0);
    const pod = dig(named('prod', 'Deployment', 'twelvefa-api'), 'spec', 'template', 'spec');
    expect(asArray(dig(pod, 'volumes'))).toContainEqual({
      name: 'api-keys',
      secret: { secretName: 'twelvefa-api-keys', items: [{ key: 'keys.json', path: 'keys.json' }] },
    });
    // A subPath mount would never see the Secret change: keys could not be rotated live.
    const mounts = asArray(dig(pod, 'containers', 0, 'volumeMounts'));
    expect(mounts).toContainEqual({
      name: 'api-keys',
      mountPath: '/etc/twelvefa/api-keys',
      readOnly: true,
    });
  });

  it('in dev: anyone, as with Compose and the quick start', () => {
    expect(value('dev', 'AUTH_KEYS_FILE')).toBeUndefined();
    expect(JSON.stringify(objects('dev'))).not.toContain('twelvefa-api-keys');
  });
});

describe('the staging overlay', () => {
  it('is prod with other names and sizes: Terraform’s names, fewer replicas', () => {
    const differences: string[] = [];
    const walk = (a: unknown, b: unknown, path: string): void => {
      if (isObjectValue(a) && isObjectValue(b)) {
        for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
          walk(a[key], b[key], `${path}.${key}`);
        }
      } else if (JSON.stringify(a) !== JSON.stringify(b)) {
        differences.push(path);
      }
    };
    const prod = objects('prod');
    const staging = objects('staging');
    expect(staging.map(objectKey)).toEqual(prod.map(objectKey));
    for (const [index, object] of prod.entries()) {
      walk(object, staging[index], objectKey(object));
    }
    expect(differences.sort()).toEqual([
      'ExternalSecret/twelvefa-api-keys.spec.data.0.remoteRef.key',
      'ExternalSecret/twelvefa-dashboard.spec.data.0.remoteRef.key',
      'ExternalSecret/twelvefa-redis-ca.spec.data.0.remoteRef.key',
      'ExternalSecret/twelvefa-redis.spec.data.0.remoteRef.key',
      'Gateway/twelvefa.spec.addresses.0.value',
      'Gateway/twelvefa.spec.listeners.0.tls.options.networking.gke.io/pre-shared-certs',
      'HorizontalPodAutoscaler/twelvefa-api.spec.maxReplicas',
      'HorizontalPodAutoscaler/twelvefa-api.spec.minReplicas',
      'ScaledObject/twelvefa-worker.spec.maxReplicaCount',
    ]);
    expect(dig(named('staging', 'Gateway', 'twelvefa'), 'spec', 'addresses', 0, 'value')).toBe(
      'twelvefa-staging-gateway',
    );
  });
});

describe('Redis over TLS', () => {
  it('mounts Memorystore’s CA for every Redis client in prod, and nothing of it in dev', () => {
    for (const name of ['twelvefa-api', 'twelvefa-worker', 'twelvefa-dashboard']) {
      const pod = dig(named('prod', 'Deployment', name), 'spec', 'template', 'spec');
      const env = asArray(dig(pod, 'containers', 0, 'env'));
      const ca = env.find((e) => dig(e, 'name') === 'REDIS_TLS_CA_FILE');
      expect(dig(ca, 'value'), name).toBe('/etc/twelvefa/redis-ca/ca.pem');
      expect(asArray(dig(pod, 'volumes'))).toContainEqual({
        name: 'redis-ca',
        secret: { secretName: 'twelvefa-redis-ca', items: [{ key: 'ca.pem', path: 'ca.pem' }] },
      });
    }
    expect(redisTlsProblems(objects('prod'), 'prod')).toEqual([]);
    expect(redisTlsProblems(objects('dev'), 'dev')).toEqual([]);
    expect(JSON.stringify(objects('dev'))).not.toContain('twelvefa-redis-ca');
  });

  it('is what the load balancer’s health check does not depend on: it asks readiness', () => {
    const check = named('prod', 'HealthCheckPolicy', 'twelvefa-api');
    expect(dig(check, 'spec', 'default', 'config', 'grpcHealthCheck', 'grpcServiceName')).toBe(
      'readiness',
    );
  });
});

describe.each(PLATFORM)('the cluster prerequisite %s', (name) => {
  it('renders, with every object valid against its schema', async () => {
    const list = platformObjects(name);
    expect(list.length).toBeGreaterThan(4);
    const problems: string[] = [];
    for (const object of list) problems.push(...(await schemaProblems(object)));
    expect(problems).toEqual([]);
  });

  it('meets the pod posture, and needs nothing the deploy job does not write first', () => {
    expect(platformPolicyProblems(platformObjects(name))).toEqual([]);
    expect(unproduced(name, platformObjects(name), deploy)).toEqual([]);
  });

  it('is the query frontend the prod ScaledObject asks, open to KEDA only', () => {
    const service = platformObjects(name).find((o) => o.kind === 'Service');
    const address = `http://${String(dig(service, 'metadata', 'name'))}.${String(
      dig(service, 'metadata', 'namespace'),
    )}.svc:${String(dig(service, 'spec', 'ports', 0, 'port'))}`;
    const scaled = named('prod', 'ScaledObject', 'twelvefa-worker');
    expect(dig(scaled, 'spec', 'triggers', 0, 'metadata', 'serverAddress')).toBe(address);
    const policy = platformObjects(name).find(
      (o) => o.kind === 'NetworkPolicy' && dig(o, 'metadata', 'name') === 'frontend-ingress',
    );
    expect(
      dig(policy, 'spec', 'ingress', 0, 'from', 0, 'namespaceSelector', 'matchLabels'),
    ).toEqual({
      'kubernetes.io/metadata.name': 'keda',
    });
  });
});

describe('the local cluster', () => {
  it('is a valid kind configuration, named as the documented commands name it', async () => {
    const config: unknown = parse(await readFile(repoPath('infra/k8s/kind-cluster.yaml'), 'utf8'));
    expect(kindClusterProblems(config)).toEqual([]);
    const doc = await readFile(repoPath('docs/kubernetes.md'), 'utf8');
    expect(doc).toContain('kind create cluster --config infra/k8s/kind-cluster.yaml');
    const load = /kind load docker-image (\S+) --name (\S+)/.exec(doc);
    expect(load?.[2]).toBe(dig(config, 'name'));
    // The image loaded is the one the dev overlay runs, with a pull policy that keeps it.
    const api = named('dev', 'Deployment', 'twelvefa-api');
    const container = dig(api, 'spec', 'template', 'spec', 'containers', 0);
    expect(dig(container, 'image')).toBe(load?.[1]);
    expect(String(load?.[1])).not.toMatch(/:latest$|^[^:]+$/);
    expect(dig(container, 'imagePullPolicy') ?? 'IfNotPresent').toBe('IfNotPresent');
    expect(doc).toContain(`docker build -t ${String(load?.[1])} .`);
    expect(doc).toContain('kubectl apply -k infra/k8s/overlays/dev');
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

  it('checks custom resources against their vendored CRDs, metadata as ObjectMeta', async () => {
    const route = structuredClone(named('prod', 'GRPCRoute', 'twelvefa'));
    (dig(route, 'spec', 'rules', 0) as YamlObject).backendRef = [];
    (route.metadata as YamlObject).labels = { app: 7 };
    const gateway = structuredClone(named('prod', 'Gateway', 'twelvefa'));
    (dig(gateway, 'spec', 'listeners', 0) as YamlObject).port = 70000;
    const scaled = structuredClone(named('prod', 'ScaledObject', 'twelvefa-worker'));
    (scaled.spec as YamlObject).maxReplicaCount = 'ten';
    const problems = [
      ...(await schemaProblems(route)),
      ...(await schemaProblems(gateway)),
      ...(await schemaProblems(scaled)),
    ].join('\n');
    expect(problems).toMatch(/GRPCRoute\/twelvefa: unknown field \/spec\/rules\/0\/backendRef/);
    expect(problems).toMatch(/GRPCRoute\/twelvefa: \/metadata\/labels\/app fails type .*string/);
    expect(problems).toMatch(/Gateway\/twelvefa: \/spec\/listeners\/0\/port must be <= 65535/);
    expect(problems).toMatch(/ScaledObject\/twelvefa-worker: \/spec\/maxReplicaCount must be/);
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

  it('rejects liveness on readiness, a missing probe, and a wrong API or worker probe', () => {
    const copy = structuredClone(objects('prod'));
    const deployment = (name: string) =>
      dig(
        copy.find((o) => o.kind === 'Deployment' && dig(o, 'metadata', 'name') === name),
        'spec',
        'template',
        'spec',
        'containers',
        0,
      ) as YamlObject;
    const api = deployment('twelvefa-api');
    (dig(api, 'livenessProbe', 'grpc') as YamlObject).service = 'readiness';
    delete (dig(api, 'startupProbe', 'grpc') as YamlObject).service;
    const worker = deployment('twelvefa-worker');
    (dig(worker, 'livenessProbe', 'httpGet') as YamlObject).path = '/readyz';
    delete deployment('twelvefa-dashboard').readinessProbe;
    const problems = probeProblems(copy).join('\n');
    expect(problems).toMatch(/twelvefa-api container api: livenessProbe asks .*"readiness"/);
    expect(problems).toMatch(/twelvefa-api container api: startupProbe asks .*""/);
    expect(problems).toMatch(/twelvefa-worker container worker: livenessProbe asks \/readyz/);
    expect(problems).toMatch(/twelvefa-dashboard container dashboard: no readinessProbe/);
    const policy = policyProblems(copy, 'prod').join('\n');
    expect(policy).toMatch(/API: livenessProbe must be .* for the service liveness/);
    expect(policy).toMatch(/worker: livenessProbe must be an HTTP probe on \/livez/);
    const grpc = dig(api, 'livenessProbe', 'grpc') as YamlObject;
    grpc.service = 'calc.Calc';
    expect(probeProblems(copy).join('\n')).toMatch(/livenessProbe asks .*"calc\.Calc"/);
  });

  it('rejects a load balancer health check on the whole server', () => {
    const copy = structuredClone(objects('prod'));
    const check = copy.find((o) => o.kind === 'HealthCheckPolicy');
    delete (dig(check, 'spec', 'default', 'config', 'grpcHealthCheck') as YamlObject)
      .grpcServiceName;
    expect(policyProblems(copy, 'prod').join('\n')).toMatch(
      /HealthCheckPolicy\/twelvefa-api: the GRPC health check must ask the service readiness/,
    );
  });

  it('rejects a prod Redis client without the CA, a writable CA mount, and a CA in dev', () => {
    const prod = structuredClone(objects('prod'));
    const spec = (list: YamlObject[], name: string) =>
      dig(
        list.find((o) => o.kind === 'Deployment' && dig(o, 'metadata', 'name') === name),
        'spec',
        'template',
        'spec',
      ) as YamlObject;
    const worker = dig(spec(prod, 'twelvefa-worker'), 'containers', 0) as YamlObject;
    worker.env = asArray(worker.env).filter((e) => dig(e, 'name') !== 'REDIS_TLS_CA_FILE');
    const api = dig(spec(prod, 'twelvefa-api'), 'containers', 0) as YamlObject;
    const mount = asArray(api.volumeMounts).find(
      (m) => dig(m, 'name') === 'redis-ca',
    ) as YamlObject;
    mount.readOnly = false;
    const problems = redisTlsProblems(prod, 'prod').join('\n');
    expect(problems).toMatch(/twelvefa-worker container worker: REDIS_TLS_CA_FILE must be set/);
    expect(problems).toMatch(/twelvefa-api container api: REDIS_TLS_CA_FILE .* mounted read-only/);
    const dev = structuredClone(objects('dev'));
    spec(dev, 'twelvefa-api').volumes = [
      ...asArray(spec(dev, 'twelvefa-api').volumes),
      { name: 'redis-ca', secret: { secretName: 'twelvefa-redis-ca' } },
    ];
    expect(redisTlsProblems(dev, 'dev').join('\n')).toMatch(/dev's Redis has no TLS/);
  });

  it('rejects a reference nothing produces, a missing key, and a Secret written too late', () => {
    const copy = structuredClone(objects('prod'));
    const api = copy.find(
      (o) => o.kind === 'Deployment' && dig(o, 'metadata', 'name') === 'twelvefa-api',
    );
    const container = dig(api, 'spec', 'template', 'spec', 'containers', 0) as YamlObject;
    container.env = [
      ...asArray(container.env),
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'twelvefa-token', key: 'TOKEN' } } },
      { name: 'URL2', valueFrom: { secretKeyRef: { name: 'twelvefa-redis', key: 'URL2' } } },
    ];
    const problems = unproduced('prod', copy, deploy).join('\n');
    expect(problems).toMatch(
      /env TOKEN: Secret\/twelvefa-token \(namespace twelvefa\) is produced by nothing/,
    );
    expect(problems).toMatch(/env URL2: Secret\/twelvefa-redis .* without the key URL2/);
    // Without the CA's ExternalSecret the prod pods' volume has nothing behind it.
    const withoutCa = objects('prod').filter(
      (o) => objectKey(o) !== 'ExternalSecret/twelvefa-redis-ca',
    );
    expect(unproduced('prod', withoutCa, deploy).join('\n')).toMatch(
      /volume redis-ca: Secret\/twelvefa-redis-ca \(namespace twelvefa\) is produced by nothing/,
    );
    // The frontend's ConfigMap written only after its kustomization is applied.
    const late = deploy
      .replace('kubectl apply -k infra/k8s/platform/gmp-frontend\n', 'true\n')
      .replace(
        'kubectl apply -f infra/k8s/platform/gmp-frontend/namespace.yaml',
        'kubectl apply -k infra/k8s/platform/gmp-frontend',
      );
    expect(late).not.toBe(deploy);
    expect(unproduced('gmp-frontend', platformObjects('gmp-frontend'), late).join('\n')).toMatch(
      /ConfigMap\/gmp-frontend .* is written only after the kustomization is applied/,
    );
  });

  it('rejects a platform pod run as root and a kind configuration with a misspelt field', () => {
    const copy = structuredClone(platformObjects('gmp-frontend'));
    const deployment = copy.find((o) => o.kind === 'Deployment');
    const security = dig(deployment, 'spec', 'template', 'spec', 'securityContext') as YamlObject;
    security.runAsUser = 0;
    expect(platformPolicyProblems(copy).join('\n')).toMatch(/runAsUser must be a non-zero number/);
    const problems = kindClusterProblems({
      kind: 'Cluster',
      apiVersion: 'kind.x-k8s.io/v1alpha4',
      nodes: [{ role: 'control-plane' }, { role: 'wroker' }],
      networkin: {},
    }).join('\n');
    expect(problems).toMatch(/must NOT have additional properties/);
    expect(problems).toMatch(/\/nodes\/1\/role must be equal to one of the allowed values/);
  });

  it('rejects a doc that names a file the repository does not have', () => {
    const doc = [
      'See [the overlay](../infra/k8s/overlays/qa).',
      '```sh',
      'cd infra/terraform',
      'cp backend.hcl.example backend.hcl',
      'terraform init -backend-config=backend.hcl',
      'terraform apply -var-file=prod.tfvars',
      '```',
    ].join('\n');
    const problems = missingDocPaths(REPO_ROOT, 'docs/x.md', doc).join('\n');
    expect(problems).toMatch(/the link \.\.\/infra\/k8s\/overlays\/qa/);
    expect(problems).toMatch(/names infra\/terraform\/prod\.tfvars, which does not exist/);
    expect(problems).not.toMatch(/backend\.hcl,/);
  });

  it('fails to render a kustomization that names a missing file', async () => {
    await writeFile(
      join(scratch, 'kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - missing.yaml\n',
    );
    await expect(renderKustomization(scratch)).rejects.toThrow(/kubectl kustomize/);
  });
});
