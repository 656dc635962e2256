import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CompiledValidator, crdValidator, errorText } from './crd-schema.js';
import { podMonitoringValidator } from './pod-monitoring-schema.js';
import { REPO_ROOT } from './repo-root.js';
import { isObject, type YamlObject } from './yaml-documents.js';

// apiVersion/kind → [package, precompiled schema module]. A kind missing here is
// reported, never waved through.
const SCHEMAS: Record<string, readonly [string, string]> = {
  'v1/Namespace': ['kubernetes-models', 'IoK8sApiCoreV1Namespace.js'],
  'v1/ServiceAccount': ['kubernetes-models', 'IoK8sApiCoreV1ServiceAccount.js'],
  'v1/ConfigMap': ['kubernetes-models', 'IoK8sApiCoreV1ConfigMap.js'],
  'v1/Secret': ['kubernetes-models', 'IoK8sApiCoreV1Secret.js'],
  'v1/Service': ['kubernetes-models', 'IoK8sApiCoreV1Service.js'],
  'apps/v1/Deployment': ['kubernetes-models', 'IoK8sApiAppsV1Deployment.js'],
  'apps/v1/StatefulSet': ['kubernetes-models', 'IoK8sApiAppsV1StatefulSet.js'],
  'autoscaling/v2/HorizontalPodAutoscaler': [
    'kubernetes-models',
    'IoK8sApiAutoscalingV2HorizontalPodAutoscaler.js',
  ],
  'policy/v1/PodDisruptionBudget': ['kubernetes-models', 'IoK8sApiPolicyV1PodDisruptionBudget.js'],
  'networking.k8s.io/v1/NetworkPolicy': [
    'kubernetes-models',
    'IoK8sApiNetworkingV1NetworkPolicy.js',
  ],
  'networking.gke.io/v1/HealthCheckPolicy': [
    '@kubernetes-models/gke',
    'NetworkingGkeIoV1HealthCheckPolicy.mjs',
  ],
  'networking.gke.io/v1/GCPBackendPolicy': [
    '@kubernetes-models/gke',
    'NetworkingGkeIoV1GCPBackendPolicy.mjs',
  ],
};

// apiVersion/kind → the vendored CustomResourceDefinition (crds/, README there) that the
// kind's controller installs: the versions Terraform installs (KEDA, External Secrets) or
// the Gateway API release GKE serves. Newer than any npm package of schemas for Node 20.
const CRDS: Record<string, string> = {
  'keda.sh/v1alpha1/ScaledObject': 'keda.sh_scaledobjects.yaml',
  'gateway.networking.k8s.io/v1/Gateway': 'gateway.networking.k8s.io_gateways.yaml',
  'gateway.networking.k8s.io/v1/GRPCRoute': 'gateway.networking.k8s.io_grpcroutes.yaml',
  'external-secrets.io/v1/ExternalSecret': 'external-secrets.io_externalsecrets.yaml',
  'external-secrets.io/v1/SecretStore': 'external-secrets.io_secretstores.yaml',
};

// Kinds with neither, validated against schemas written here.
const HAND_WRITTEN: Record<string, () => CompiledValidator> = {
  'monitoring.googleapis.com/v1/PodMonitoring': podMonitoringValidator,
};

const loaded = new Map<string, CompiledValidator>();

function packageDir(name: string): string {
  for (const base of [
    join(REPO_ROOT, 'packages/deploy-checks/node_modules'),
    join(REPO_ROOT, 'node_modules'),
  ]) {
    const dir = join(base, name);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package ${name} is not installed`);
}

async function shippedValidator(pkg: string, file: string): Promise<CompiledValidator> {
  const module = (await import(pathToFileURL(join(packageDir(pkg), '_schemas', file)).href)) as {
    validate: CompiledValidator;
  };
  return module.validate;
}

async function newValidator(key: string): Promise<CompiledValidator | undefined> {
  const handWritten = HAND_WRITTEN[key];
  if (handWritten) return handWritten();
  const crd = CRDS[key];
  if (crd) {
    const objectMeta = await shippedValidator(
      '@kubernetes-models/apimachinery',
      'IoK8sApimachineryPkgApisMetaV1ObjectMeta.js',
    );
    return crdValidator(crd, key.split('/').at(-2) ?? '', objectMeta);
  }
  const entry = SCHEMAS[key];
  return entry && shippedValidator(...entry);
}

async function validatorFor(key: string): Promise<CompiledValidator | undefined> {
  if (!loaded.has(key)) {
    const validate = await newValidator(key);
    if (validate) loaded.set(key, validate);
  }
  return loaded.get(key);
}

// The shipped schemas accept unknown fields (a misspelt key would pass). A field the
// validator never looks at is unknown to the schema: record every property read.
function tracked(value: unknown, path: string, read: Set<string>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const child: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return child;
      if (!Array.isArray(target)) read.add(`${path}/${key}`);
      return tracked(child, `${path}/${key}`, read);
    },
    ownKeys(target) {
      // Iterating a map (labels, annotations, data) reads all of its keys.
      if (!Array.isArray(target)) for (const key of Object.keys(target)) read.add(`${path}/${key}`);
      return Reflect.ownKeys(target);
    },
  });
}

function unreadFields(value: unknown, path: string, read: Set<string>, out: string[]): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) unreadFields(item, `${path}/${index}`, read, out);
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key}`;
      if (!read.has(childPath)) out.push(childPath);
      else unreadFields(child, childPath, read, out);
    }
  }
}

/** A name for messages: Kind/name. */
export function objectName(object: YamlObject): string {
  const metadata = object.metadata;
  const name = isObject(metadata) ? String(metadata.name) : '?';
  return `${String(object.kind)}/${name}`;
}

/**
 * Validates one rendered object against its Kubernetes or CRD schema (kubernetes-models and
 * @kubernetes-models/gke, the CRDs vendored in crds/, PodMonitoring against
 * pod-monitoring-schema.ts)
 * and rejects fields the schema does not know.
 * Returns the problems; an empty list means valid.
 */
export async function schemaProblems(object: YamlObject): Promise<string[]> {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const validate = await validatorFor(key);
  if (!validate) return [`${objectName(object)}: no schema known for ${key}`];
  const read = new Set<string>();
  const valid = validate(tracked(object, '', read));
  const problems = valid
    ? []
    : (validate.errors ?? []).map((e) => `${objectName(object)}: ${errorText(e)}`);
  const unknown: string[] = [];
  unreadFields(object, '', read, unknown);
  for (const field of unknown) problems.push(`${objectName(object)}: unknown field ${field}`);
  return problems;
}
