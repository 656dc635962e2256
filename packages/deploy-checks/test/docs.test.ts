import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingDocPaths, missingNamedFiles } from '../src/doc-references.js';
import { REPO_ROOT, repoPath } from '../src/repo-root.js';

// Docs drift as the code moves: a renamed file leaves a link or a `path` behind that a reader
// then cannot find. Every page is checked, so a new one is too.
const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '');
const pages = tracked.filter((file) => file === 'README.md' || /^docs\/.+\.md$/.test(file));
/** Files the docs tell the reader to make, which are gitignored and never committed. */
const CREATED = new Set(['keys.json', '.env', 'prod.tfvars', 'staging.tfvars', 'backend.hcl']);

describe('the README and every page of docs/', () => {
  it('are all checked', () => {
    expect(pages).toContain('README.md');
    expect(pages.length).toBeGreaterThan(10);
  });

  it.each(pages)('%s: every relative link and command path exists', (page) => {
    const text = readFileSync(repoPath(page), 'utf8');
    expect(missingDocPaths(REPO_ROOT, page, text)).toEqual([]);
  });

  it.each(pages)('%s: every file named in code is tracked', (page) => {
    const text = readFileSync(repoPath(page), 'utf8');
    expect(missingNamedFiles(page, text, tracked, CREATED)).toEqual([]);
  });
});

describe('missingNamedFiles', () => {
  const files = [
    'packages/server/src/jobs/batch-plan.ts',
    'docs/cli.md',
    'infra/k8s/base/api.yaml',
  ];

  it('finds paths from the root, path endings and bare names that no tracked file has', () => {
    const text =
      'See `packages/server/src/jobs/plan-batch.ts`, `jobs/plan-batch.ts`, `plan-batch.ts`, ' +
      '`docs/missing.md` and `infra/k8s/overlays`.';
    expect(missingNamedFiles('docs/x.md', text, files)).toHaveLength(5);
  });

  it('accepts tracked files, their folders and endings, and skips absolute paths and placeholders', () => {
    const text =
      '`packages/server/src/jobs/batch-plan.ts:12`, `jobs/batch-plan.ts`, `batch-plan.ts`, ' +
      '`infra/k8s/base/`, `/etc/twelvefa/keys.json`, `<name>.yaml`, `AUTH_KEYS_FILE=/x.json`, ' +
      '`keys.json`, `npm test`';
    expect(missingNamedFiles('docs/x.md', text, files, new Set(['keys.json']))).toEqual([]);
  });
});
