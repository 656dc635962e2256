import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo's root directory (this package lives at packages/deploy-checks). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A path inside the repo, from its root. */
export function repoPath(...parts: string[]): string {
  return resolve(REPO_ROOT, ...parts);
}
