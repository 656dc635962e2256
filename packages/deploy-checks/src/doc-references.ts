import { existsSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

// A how-to that names a file the repository does not have fails the reader at that step
// (`terraform apply -var-file=prod.tfvars` with no prod.tfvars). This module finds the paths
// a Markdown page names, in its relative links and in the commands of its shell blocks, and
// reports those that exist neither in the repository nor as the output of an earlier `cp`
// in the same block.

/** The options of the commands in the docs that take a repository path. */
const PATH_OPTIONS = [
  /(?:^|\s)-var-file=(\S+)/g,
  /(?:^|\s)-backend-config=(\S+)/g,
  /(?:^|\s)--config[= ](\S+)/g,
  /kubectl (?:apply|delete|diff)\b.*?\s-k (\S+)/g,
  /kubectl (?:apply|create|delete|diff)\b.*?\s-f (\S+)/g,
  /kubectl kustomize (\S+)/g,
  /(?:^|\s)-proto (\S+)/g,
];

function unquote(path: string): string {
  return path.replace(/^["']|["']$/g, '');
}

// Something the reader supplies (a variable, a placeholder, stdin, a URL), not a repo path.
function isSupplied(path: string): boolean {
  return path === '-' || /[$<>{}*]|^[a-z]+:\/\//.test(path);
}

/**
 * The repository paths a Markdown page names that do not exist. `doc` is the page's path
 * relative to `root`; links resolve from its folder, and shell commands from `root`, moved
 * by any `cd DIR` earlier in the same block.
 */
export function missingDocPaths(root: string, doc: string, text: string): string[] {
  const problems: string[] = [];
  const exists = (path: string) => existsSync(join(root, path));
  const outside = (fenced: string) => fenced.replace(/```[\s\S]*?```/g, '');
  for (const match of outside(text).matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = (match[1] ?? '').split('#')[0] ?? '';
    if (target === '' || /^[a-z]+:/.test(target)) continue;
    const path = normalize(join(dirname(doc), target));
    if (!exists(path))
      problems.push(`${doc}: the link ${match[1]} names ${path}, which does not exist`);
  }
  for (const block of text.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    let cwd = '.';
    const created = new Set<string>();
    const script = (block[1] ?? '').replace(/\\\n\s*/g, ' ');
    for (const raw of script.split('\n')) {
      const line = raw.replace(/(^|\s)#.*$/, '');
      const cd = /^\s*cd (\S+)/.exec(line);
      if (cd?.[1]) cwd = normalize(join(cwd, unquote(cd[1])));
      const cp = /(?:^|\s)cp (\S+) (\S+)/.exec(line);
      if (cp?.[1] && cp[2]) {
        const source = normalize(join(cwd, unquote(cp[1])));
        if (!isSupplied(source) && !exists(source)) {
          problems.push(`${doc}: \`cp ${cp[1]}\` copies ${source}, which does not exist`);
        }
        created.add(normalize(join(cwd, unquote(cp[2]))));
      }
      for (const option of PATH_OPTIONS) {
        for (const found of line.matchAll(option)) {
          const named = unquote(found[1] ?? '');
          if (isSupplied(named)) continue;
          const path = normalize(join(cwd, named));
          if (!exists(path) && !created.has(path)) {
            const shown = relative('.', path) || '.';
            problems.push(`${doc}: \`${line.trim()}\` names ${shown}, which does not exist`);
          }
        }
      }
    }
  }
  return problems;
}

/** The endings of the file names code spans are checked for. */
const FILE_EXTENSIONS = /\.(?:ts|mts|js|mjs|json|ya?ml|tf|tfvars|proto|md|sh|svg)$/;

/**
 * The files a Markdown page names in code spans (`packages/server/src/config.ts`,
 * `jobs/batch-plan.ts`, `batch-plan.ts`) that the repository does not track: a path from the
 * root must exist, a shorter one must end some tracked path, a bare file name must be some
 * tracked file's name. `tracked` is `git ls-files`; `created` names the files the reader makes
 * (never committed). Absolute paths (inside an image or a pod) and placeholders are skipped.
 */
export function missingNamedFiles(
  doc: string,
  text: string,
  tracked: readonly string[],
  created: ReadonlySet<string> = new Set(),
): string[] {
  const tops = new Set(tracked.map((file) => file.split('/')[0]));
  const names = new Set(tracked.map((file) => file.split('/').pop()));
  const folders = new Set(
    tracked.flatMap((file) =>
      file
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  const problems: string[] = [];
  for (const match of text.matchAll(/`([^`\s]+)`/g)) {
    const token = match[1] ?? '';
    const path = token.replace(/(?::\d+)?(?:#.*)?$/, '').replace(/\/$/, '');
    if (/[*<>{}$=]|^[a-z]+:|^\//.test(path) || created.has(path)) continue;
    const fromRoot = path.includes('/') && tops.has(path.split('/')[0]);
    if (fromRoot) {
      if (!tracked.includes(path) && !folders.has(path)) {
        problems.push(`${doc}: \`${token}\` names ${path}, which the repository does not have`);
      }
    } else if (FILE_EXTENSIONS.test(path)) {
      const found = path.includes('/')
        ? tracked.some((file) => file.endsWith(`/${path}`))
        : names.has(path);
      if (!found) problems.push(`${doc}: \`${token}\` names a file the repository does not have`);
    }
  }
  return problems;
}
