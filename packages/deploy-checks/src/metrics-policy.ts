import { objectName } from './kubernetes-schema.js';
import { runsLikeProd } from './kustomize.js';
import { ofKind, podLabels, selects } from './manifest-queries.js';
import { asArray, dig, type YamlObject } from './yaml-documents.js';

// METRICS_PORT is served on a port named `metrics` by the API and the workers, some
// NetworkPolicy lets a scraper reach it, and in prod a PodMonitoring scrapes it.
export function metricsProblems(
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
