import { objectName } from './kubernetes-schema.js';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

// Generic queries over the objects of a rendered overlay, shared by the policy checks.

// Whether a label selector (matchLabels and matchExpressions) selects these labels.
export function selects(selector: unknown, labels: unknown): boolean {
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

export function podLabels(workload: YamlObject | undefined): unknown {
  return dig(workload, 'spec', 'template', 'metadata', 'labels');
}

export function containerEnv(workload: YamlObject | undefined, name: string): unknown {
  const env = asArray(dig(workload, 'spec', 'template', 'spec', 'containers', 0, 'env'));
  return env.find((e) => dig(e, 'name') === name);
}

export function find(
  objects: readonly YamlObject[],
  kind: string,
  name: string,
): YamlObject | undefined {
  return objects.find((o) => o.kind === kind && dig(o, 'metadata', 'name') === name);
}

export function ofKind(objects: readonly YamlObject[], kind: string): YamlObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The ConfigMap the workloads load with envFrom (its name carries kustomize's hash). */
export function appConfig(objects: readonly YamlObject[]): Record<string, string> {
  const config = objects.find(
    (o) =>
      o.kind === 'ConfigMap' && String(dig(o, 'metadata', 'name')).startsWith('twelvefa-config'),
  );
  const data = dig(config, 'data');
  return isObject(data) ? (data as Record<string, string>) : {};
}

export type Workload = { owner: string; pod: unknown };

export function workloads(objects: readonly YamlObject[]): Workload[] {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(String(o.kind)))
    .map((o) => ({ owner: objectName(o), pod: dig(o, 'spec', 'template') }));
}
