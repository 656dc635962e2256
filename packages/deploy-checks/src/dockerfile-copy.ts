import { cp, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import type { Ignore } from '@balena/dockerignore';

// COPY as Docker does it, on the local file system: from the build context filtered by its
// .dockerignore, or from the directory of an earlier stage.

// CommonJS (module.exports = factory) whose typings claim a default export.
const dockerignore = createRequire(import.meta.url)('@balena/dockerignore') as () => Ignore;

/** The files of the build context (relative paths) its .dockerignore keeps. */
export async function contextFiles(context: string): Promise<string[]> {
  let ignoreText = '';
  try {
    ignoreText = await readFile(join(context, '.dockerignore'), 'utf8');
  } catch {
    ignoreText = '';
  }
  const patterns = ignoreText
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (patterns.some((pattern) => pattern.startsWith('!'))) {
    // Skipping ignored directories wholesale below is only right without exceptions.
    throw new Error('.dockerignore exceptions (!pattern) are not supported by the replay');
  }
  const ignored = dockerignore().add(patterns);
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(join(context, dir), { withFileTypes: true })) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (ignored.ignores(path)) continue;
      if (entry.isDirectory()) await walk(path);
      else files.push(path);
    }
  };
  await walk('');
  return files;
}

/** Copies a file, or a directory's contents, from an earlier stage's directory (COPY --from). */
export async function copyInto(source: string, destination: string, isDirectoryTarget: boolean) {
  const info = await stat(source);
  if (info.isDirectory()) {
    await mkdir(destination, { recursive: true });
    for (const entry of await readdir(source)) {
      await cp(join(source, entry), join(destination, entry), {
        recursive: true,
        verbatimSymlinks: true,
        force: true,
      });
    }
    return;
  }
  const target = isDirectoryTarget ? join(destination, source.split('/').pop() ?? '') : destination;
  await mkdir(resolve(target, '..'), { recursive: true });
  await cp(source, target, { force: true });
}

/** Copies one COPY source from the filtered build context, as Docker would. */
export async function copyFromContext(
  context: string,
  files: readonly string[],
  sourceArg: string,
  destination: string,
  isDirectoryTarget: boolean,
): Promise<void> {
  const prefix = relative('.', sourceArg) || '.';
  const targets: [string, string][] = [];
  if (prefix === '.') {
    for (const file of files) targets.push([file, join(destination, file)]);
  } else if (files.includes(prefix)) {
    const name = prefix.split('/').pop() ?? prefix;
    targets.push([prefix, isDirectoryTarget ? join(destination, name) : destination]);
  } else {
    for (const file of files) {
      if (file.startsWith(`${prefix}/`))
        targets.push([file, join(destination, relative(prefix, file))]);
    }
  }
  if (targets.length === 0) {
    throw new Error(`COPY ${sourceArg}: not in the build context (or .dockerignored)`);
  }
  for (const [file, target] of targets) {
    await mkdir(resolve(target, '..'), { recursive: true });
    await cp(join(context, file), target, { force: true });
  }
}
