import { validateWorkflow } from '@action-validator/core';

/** Problems of a GitHub Actions workflow against the workflow schema (offline, WebAssembly). */
export function workflowSchemaProblems(text: string): string[] {
  const result = validateWorkflow(text) as {
    errors: { code: string; path?: string; title: string; detail?: string }[];
  };
  return result.errors.map((e) => `${e.path ?? ''} ${e.title}${e.detail ? `: ${e.detail}` : ''}`);
}
