import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoPath } from './repo-root.js';

/**
 * The script behind a workspace package's bin (package.json "bin"), the file npm links
 * into node_modules/.bin in the image. Throws when no workspace package declares it.
 */
export async function workspaceBin(name: string): Promise<string> {
  const packages = repoPath('packages');
  for (const dir of await readdir(packages)) {
    let manifest: { bin?: Record<string, string> };
    try {
      manifest = JSON.parse(await readFile(join(packages, dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const script = manifest.bin?.[name];
    if (script !== undefined) return join(packages, dir, script);
  }
  throw new Error(`no workspace package declares the bin ${name}`);
}
