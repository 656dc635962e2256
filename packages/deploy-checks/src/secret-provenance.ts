import { parse } from 'yaml';
import { objectName } from './kubernetes-schema.js';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

// A pod that names a Secret or ConfigMap nobody creates never starts (CreateContainerConfigError,
// or a volume that never mounts), and nothing offline would notice. This module lists what the
// rendered pods reference and what the repository produces (the kustomization itself, its
// ExternalSecrets, or the deploy workflow's job), and reports every reference nothing
// produces. Whether an ExternalSecret's remote secrets exist is external-secrets.ts's.

/** What a pod names: a Secret or ConfigMap, and the key it reads when it names one. */
export interface Reference {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly namespace: string;
  readonly key: string | undefined;
  /** Who references it, for messages. */
  readonly by: string;
}

/** A Secret or ConfigMap something in the repository creates, with the keys it holds. */
export interface Producer {
  readonly kind: 'Secret' | 'ConfigMap';
  readonly name: string;
  readonly namespace: string;
  readonly keys: readonly string[];
  readonly by: string;
  /** Where in the deploy job it is written (step × 1000 + line), for ordering. */
  readonly position: number | undefined;
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

function podSpec(object: YamlObject): unknown {
  return object.kind === 'CronJob'
    ? dig(object, 'spec', 'jobTemplate', 'spec', 'template', 'spec')
    : dig(object, 'spec', 'template', 'spec');
}

/** Every Secret and ConfigMap the rendered workloads' pods reference (optional ones aside). */
export function podReferences(objects: readonly YamlObject[]): Reference[] {
  const found: Reference[] = [];
  for (const object of objects.filter((o) => WORKLOADS.includes(String(o.kind)))) {
    const namespace = String(dig(object, 'metadata', 'namespace') ?? 'default');
    const spec = podSpec(object);
    const add = (kind: Reference['kind'], ref: unknown, key: unknown, by: string) => {
      const name = dig(ref, kind === 'Secret' ? 'secretName' : 'name') ?? dig(ref, 'name');
      if (typeof name !== 'string' || dig(ref, 'optional') === true) return;
      found.push({
        kind,
        name,
        namespace,
        key: typeof key === 'string' ? key : undefined,
        by: `${objectName(object)} ${by}`,
      });
    };
    const containers = [
      ...asArray(dig(spec, 'initContainers')),
      ...asArray(dig(spec, 'containers')),
    ];
    for (const container of containers) {
      const who = `container ${String(dig(container, 'name'))}`;
      for (const env of asArray(dig(container, 'env'))) {
        const at = `${who} env ${String(dig(env, 'name'))}`;
        const secret = dig(env, 'valueFrom', 'secretKeyRef');
        if (secret) add('Secret', secret, dig(secret, 'key'), at);
        const config = dig(env, 'valueFrom', 'configMapKeyRef');
        if (config) add('ConfigMap', config, dig(config, 'key'), at);
      }
      for (const from of asArray(dig(container, 'envFrom'))) {
        const secret = dig(from, 'secretRef');
        if (secret) add('Secret', secret, undefined, `${who} envFrom`);
        const config = dig(from, 'configMapRef');
        if (config) add('ConfigMap', config, undefined, `${who} envFrom`);
      }
    }
    for (const volume of asArray(dig(spec, 'volumes'))) {
      const at = `volume ${String(dig(volume, 'name'))}`;
      const sources: [Reference['kind'], unknown][] = [
        ['Secret', dig(volume, 'secret')],
        ['ConfigMap', dig(volume, 'configMap')],
        ...asArray(dig(volume, 'projected', 'sources')).flatMap(
          (s): [Reference['kind'], unknown][] => [
            ['Secret', dig(s, 'secret')],
            ['ConfigMap', dig(s, 'configMap')],
          ],
        ),
      ];
      for (const [kind, source] of sources) {
        if (!isObject(source)) continue;
        const items = asArray(source.items);
        if (items.length === 0) add(kind, source, undefined, at);
        for (const item of items) add(kind, source, dig(item, 'key'), at);
      }
    }
    for (const pull of asArray(dig(spec, 'imagePullSecrets'))) {
      add('Secret', pull, undefined, 'imagePullSecrets');
    }
  }
  return found;
}

/**
 * The Secrets and ConfigMaps a rendered kustomization holds itself (its generators') and the
 * Secrets its ExternalSecrets have External Secrets write: the target (the ExternalSecret's
 * name unless it names another) with the template's keys, or else one key per data entry.
 */
export function renderedProducers(objects: readonly YamlObject[]): Producer[] {
  const namespaceOf = (o: YamlObject) => String(dig(o, 'metadata', 'namespace') ?? 'default');
  const held = objects
    .filter((o) => o.kind === 'Secret' || o.kind === 'ConfigMap')
    .map((o) => ({
      kind: o.kind as Producer['kind'],
      name: String(dig(o, 'metadata', 'name')),
      namespace: namespaceOf(o),
      keys: ['data', 'stringData', 'binaryData'].flatMap((field) => {
        const data = o[field];
        return isObject(data) ? Object.keys(data) : [];
      }),
      by: 'the kustomization',
      position: undefined,
    }));
  const synced = objects
    .filter((o) => o.kind === 'ExternalSecret')
    .map((o): Producer => {
      const template = dig(o, 'spec', 'target', 'template', 'data');
      return {
        kind: 'Secret',
        name: String(dig(o, 'spec', 'target', 'name') ?? dig(o, 'metadata', 'name')),
        namespace: namespaceOf(o),
        keys: isObject(template)
          ? Object.keys(template)
          : asArray(dig(o, 'spec', 'data')).map((d) => String(dig(d, 'secretKey'))),
        by: objectName(o),
        position: undefined,
      };
    });
  return [...held, ...synced];
}

/** The inputs one caller gives a reusable workflow (`with:`), by name. */
export type WorkflowInputs = Readonly<Record<string, string>>;

/**
 * The inputs each job of `caller` that calls the reusable workflow `uses` (for instance
 * `./.github/workflows/deploy.yml`) gives it, in the order the jobs are listed.
 */
export function callerInputs(caller: string, uses: string): WorkflowInputs[] {
  const jobs = dig(parse(caller), 'jobs');
  if (!isObject(jobs)) return [];
  return Object.values(jobs)
    .filter((job) => dig(job, 'uses') === uses)
    .map((job) => {
      const given = dig(job, 'with');
      return isObject(given)
        ? Object.fromEntries(Object.entries(given).map(([key, value]) => [key, String(value)]))
        : {};
    });
}

/** `${{ inputs.NAME }}` replaced by the input's value, as GitHub does before the shell runs. */
function expand(text: string, inputs: WorkflowInputs): string {
  return text.replace(
    /\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g,
    (whole, name: string) => inputs[name] ?? whole,
  );
}

// Each shell line of each step, continuation lines joined and inputs expanded, with its
// position.
function lines(
  workflow: string,
  job: string,
  inputs: WorkflowInputs,
): { line: string; position: number }[] {
  const steps = asArray(dig(parse(workflow), 'jobs', job, 'steps'));
  return steps.flatMap((step, index) =>
    expand(String(dig(step, 'run') ?? ''), inputs)
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line, at) => ({ line, position: index * 1000 + at })),
  );
}

/**
 * The Secrets and ConfigMaps a workflow job writes with `kubectl create secret generic` or
 * `kubectl create configmap` (piped through --dry-run=client -o yaml into kubectl apply),
 * with their keys. For a reusable workflow, once per caller's `inputs` (callerInputs).
 */
export function deployJobProducers(
  workflow: string,
  job = 'deploy',
  inputs: readonly WorkflowInputs[] = [{}],
): Producer[] {
  return inputs.flatMap((given) => producersOf(workflow, job, given));
}

function producersOf(workflow: string, job: string, inputs: WorkflowInputs): Producer[] {
  const found: Producer[] = [];
  for (const { line, position } of lines(workflow, job, inputs)) {
    const create = /kubectl create (secret generic|configmap) ([\w.-]+)/.exec(line);
    if (!create?.[2]) continue;
    // A dry run writes nothing unless it is applied.
    if (/--dry-run/.test(line) && !/\|\s*kubectl apply -f -/.test(line)) continue;
    const namespace = /(?:--namespace[= ]|-n )([\w.-]+)/.exec(line)?.[1] ?? 'default';
    const keys = [...line.matchAll(/--from-(?:literal|file)=([^=\s"']+)=/g)].map((m) => m[1] ?? '');
    found.push({
      kind: create[1] === 'configmap' ? 'ConfigMap' : 'Secret',
      name: create[2],
      namespace,
      keys,
      by: inputs.environment ? `the ${job} job (${inputs.environment})` : `the ${job} job`,
      position,
    });
  }
  return found;
}

/**
 * Where a workflow job runs `kubectl apply -k DIR` (its position), if it does, for any of the
 * callers' `inputs` of a reusable workflow.
 */
export function applyPosition(
  workflow: string,
  dir: string,
  job = 'deploy',
  inputs: readonly WorkflowInputs[] = [{}],
): number | undefined {
  const wanted = dir.replace(/\/$/, '');
  const applies = new RegExp(
    `kubectl apply -k ${wanted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?(\\s|$)`,
  );
  for (const given of inputs) {
    const found = lines(workflow, job, given).find(({ line }) => applies.test(line.trim()));
    if (found !== undefined) return found.position;
  }
  return undefined;
}

/**
 * Every reference nothing produces: no producer of that kind, name and namespace, or none
 * with the key read, or (when the kustomization's apply position is given) one written only
 * after the kustomization is applied. Returns the problems found.
 */
export function unproducedReferences(
  references: readonly Reference[],
  producers: readonly Producer[],
  appliedAt?: number,
): string[] {
  const problems: string[] = [];
  for (const ref of references) {
    const what = `${ref.kind}/${ref.name} (namespace ${ref.namespace})`;
    const candidates = producers.filter(
      (p) => p.kind === ref.kind && p.name === ref.name && p.namespace === ref.namespace,
    );
    if (candidates.length === 0) {
      problems.push(`${ref.by}: ${what} is produced by nothing in the repository`);
      continue;
    }
    if (ref.key !== undefined && !candidates.some((p) => p.keys.includes(ref.key as string))) {
      problems.push(`${ref.by}: ${what} is produced without the key ${ref.key}`);
    }
    if (
      appliedAt !== undefined &&
      candidates.every((p) => p.position !== undefined && p.position > appliedAt)
    ) {
      problems.push(`${ref.by}: ${what} is written only after the kustomization is applied`);
    }
  }
  return problems;
}
