import { validateWorkflow } from '@action-validator/core';

/** Problems of a GitHub Actions workflow against the workflow schema (offline, WebAssembly). */
export function workflowSchemaProblems(text: string): string[] {
  const result = validateWorkflow(text) as {
    errors: { code: string; path?: string; title: string; detail?: string }[];
  };
  return result.errors.map((e) => `${e.path ?? ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`);
}

/** The apt packages .ci/run installs when missing (its `apt_packages+=(NAME)` lines). */
export function ciRunAptPackages(ciRun: string): string[] {
  return [...ciRun.matchAll(/apt_packages\+=\(([a-z0-9.+-]+)\)/g)].map((m) => m[1] ?? '');
}

/**
 * What a workflow's apt-get install lines lack of .ci/run's packages, and whether they
 * keep --no-install-recommends (docker-compose would bring a Docker engine otherwise).
 */
export function aptInstallProblems(ciRun: string, workflow: string): string[] {
  const installs = workflow.split('\n').filter((line) => /apt-get install /.test(line));
  if (installs.length === 0) return ['no apt-get install step'];
  const words = new Set(installs.flatMap((line) => line.split(/\s+/)));
  const problems = ciRunAptPackages(ciRun)
    .filter((name) => !words.has(name))
    .map((name) => `apt-get install lacks ${name}, which .ci/run installs`);
  if (!installs.every((line) => line.includes('--no-install-recommends'))) {
    problems.push('apt-get install must use --no-install-recommends');
  }
  return problems;
}
