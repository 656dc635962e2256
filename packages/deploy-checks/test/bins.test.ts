import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands.js';
import { REPO_ROOT, repoPath } from '../src/repo-root.js';

const PACKAGES = ['server', 'cli'];

/** Every bin a workspace package declares, with the file npm links for it. */
async function declaredBins(): Promise<[string, string][]> {
  const bins: [string, string][] = [];
  for (const name of PACKAGES) {
    const manifest = JSON.parse(await readFile(repoPath('packages', name, 'package.json'), 'utf8'));
    for (const [bin, file] of Object.entries(manifest.bin as Record<string, string>)) {
      bins.push([bin, join('packages', name, file)]);
    }
  }
  return bins;
}

// npm links a bin at install only if its file exists then, before any build: so each is a
// committed, executable shim that runs the build output.
describe('the bins npm links', () => {
  it('are committed and executable, so `npm ci` links them before anything is built', async () => {
    const bins = await declaredBins();
    expect(bins.map(([bin]) => bin)).toEqual(
      expect.arrayContaining(['twelvefa', 'twelvefa-worker', 'calcli', 'twelvefa-dashboard']),
    );
    const listed = await runCommand('git', ['ls-files', '-s', ...bins.map(([, file]) => file)], {
      cwd: REPO_ROOT,
    });
    for (const [bin, file] of bins) {
      expect(listed.stdout, `${bin}: ${file}`).toMatch(
        new RegExp(`^100755 \\S+ 0\\t${file}$`, 'm'),
      );
    }
  });

  it('run from the repository root with npx once built', async () => {
    const help = await runCommand('npx', ['--no-install', 'calcli', '--help'], { cwd: REPO_ROOT });
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/calcli/);
    // --help answers before anything starts: the API's would otherwise serve on :3000.
    for (const bin of ['twelvefa', 'twelvefa-health']) {
      const usage = await runCommand('npx', ['--no-install', bin, '--help'], { cwd: REPO_ROOT });
      expect(usage.code, usage.stderr).toBe(0);
      expect(usage.stdout).toMatch(new RegExp(`^usage: ${bin} `));
    }
  });
});
