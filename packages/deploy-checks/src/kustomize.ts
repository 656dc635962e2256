import { runCommand } from './commands.js';
import { repoPath } from './repo-root.js';
import { parseYamlDocuments, type YamlObject } from './yaml-documents.js';

/** The overlays CI renders and validates. */
export const OVERLAYS = ['dev', 'prod', 'staging'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/**
 * Whether an overlay runs like prod (Memorystore over TLS, Secrets from Secret Manager, KEDA,
 * API keys), so prod's rules apply to it: staging is prod with other names and sizes.
 */
export function runsLikeProd(overlay: string): boolean {
  return overlay === 'prod' || overlay === 'staging';
}

/** Renders a kustomization directory with `kubectl kustomize`; throws with kubectl's message. */
export async function renderKustomization(dir: string): Promise<YamlObject[]> {
  const result = await runCommand('kubectl', ['kustomize', dir], { timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseYamlDocuments(result.stdout);
}

/** Renders infra/k8s/overlays/<overlay>. */
export function renderOverlay(overlay: Overlay): Promise<YamlObject[]> {
  return renderKustomization(repoPath('infra/k8s/overlays', overlay));
}

/** The cluster prerequisites this repository deploys beside the app (infra/k8s/platform). */
export const PLATFORM = ['gmp-frontend'] as const;
export type Platform = (typeof PLATFORM)[number];

/** Renders infra/k8s/platform/<name>. */
export function renderPlatform(name: Platform): Promise<YamlObject[]> {
  return renderKustomization(repoPath('infra/k8s/platform', name));
}
