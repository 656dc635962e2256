import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoPath } from '../src/repo-root.js';
import { applyPosition, deployJobProducers } from '../src/secret-provenance.js';
import { aptInstallProblems, ciRunAptPackages, workflowSchemaProblems } from '../src/workflows.js';
import { dig } from '../src/yaml-documents.js';

const dir = repoPath('.github/workflows');
const read = (name: string) => readFile(`${dir}/${name}`, 'utf8');

describe('.github/workflows', () => {
  it('holds workflows valid against the GitHub Actions schema', async () => {
    const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f));
    expect(files.sort()).toEqual(['ci.yml', 'deliver.yml']);
    for (const file of files) expect(workflowSchemaProblems(await read(file)), file).toEqual([]);
  });

  it('tests with a Redis service and the deploy checks’ tools', async () => {
    const ci = parse(await read('ci.yml'));
    expect(dig(ci, 'jobs', 'test', 'services', 'redis', 'image')).toMatch(/^redis:/);
    const runs = (dig(ci, 'jobs', 'test', 'steps') as { run?: string }[]).map((s) => s.run ?? '');
    expect(runs).toContain('npm test');
    expect(runs.join('\n')).toMatch(/apt-get install .*redis-server.*docker-compose/);
  });

  it('installs every system package .ci/run installs, without recommends', async () => {
    const ciRun = await readFile(repoPath('.ci/run'), 'utf8');
    expect(ciRunAptPackages(ciRun)).toEqual(
      expect.arrayContaining([
        'redis-server',
        'redis-tools',
        'tmux',
        'openssl',
        'chromium',
        'docker-compose',
      ]),
    );
    expect(aptInstallProblems(ciRun, await read('ci.yml'))).toEqual([]);
  });

  it('delivers: tests first, pushes an image tagged by commit, deploys the prod overlay', async () => {
    const text = await read('deliver.yml');
    const deliver = parse(text);
    expect(dig(deliver, 'jobs', 'test', 'uses')).toBe('./.github/workflows/ci.yml');
    expect(dig(deliver, 'jobs', 'image', 'needs')).toBe('test');
    expect(dig(deliver, 'jobs', 'deploy', 'needs')).toBe('image');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell expansion inside the workflow
    expect(text).toContain('${IMAGE_REPOSITORY}:${GITHUB_SHA}');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell expansion inside the workflow
    expect(text).toContain('kustomize edit set image "twelvefa=${IMAGE}"');
    expect(text).toContain('kubectl apply -k infra/k8s/overlays/prod');
    expect(text).not.toMatch(/secrets\./);
  });

  it('deploys in order: prerequisites checked, the frontend, the Secrets, then the overlay', async () => {
    const text = await read('deliver.yml');
    const steps = dig(parse(text), 'jobs', 'deploy', 'steps') as { run?: string }[];
    const runs = steps.map((s) => s.run ?? '');
    const index = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    const crds = index(/kubectl get crd/);
    expect(crds).toBeGreaterThanOrEqual(0);
    for (const crd of [
      'scaledobjects.keda.sh',
      'podmonitorings.monitoring.googleapis.com',
      'gateways.gateway.networking.k8s.io',
      'grpcroutes.gateway.networking.k8s.io',
      'healthcheckpolicies.networking.gke.io',
      'gcpbackendpolicies.networking.gke.io',
    ]) {
      expect(runs[crds]).toContain(crd);
    }
    const frontend = applyPosition(text, 'infra/k8s/platform/gmp-frontend');
    const overlay = applyPosition(text, 'infra/k8s/overlays/prod');
    if (frontend === undefined || overlay === undefined) throw new Error('an apply is missing');
    expect(crds * 1000).toBeLessThan(frontend);
    expect(frontend).toBeLessThan(overlay);
    const secrets = deployJobProducers(text).filter((p) => p.kind === 'Secret');
    expect(secrets.length).toBe(4);
    for (const secret of secrets) {
      expect(secret.namespace).toBe('twelvefa');
      expect(secret.position ?? Number.POSITIVE_INFINITY).toBeLessThan(overlay);
      expect(secret.secretManager.length, secret.name).toBe(1);
    }
    // No secret value is ever echoed: each goes from gcloud to kubectl through a pipe.
    expect(text).not.toMatch(/echo .*SECRET|set -x/);
  });

  it('rejects an install step that lacks a package of .ci/run or installs recommends', () => {
    const ciRun = 'apt_packages+=(redis-server)\napt_packages+=(chromium)\n';
    const workflow = '      - run: sudo apt-get install -y redis-server\n';
    expect(aptInstallProblems(ciRun, workflow)).toEqual([
      'apt-get install lacks chromium, which .ci/run installs',
      'apt-get install must use --no-install-recommends',
    ]);
  });

  it('rejects a workflow with a misspelt key', () => {
    const broken =
      'on: push\njobs:\n  a:\n    runs_on: ubuntu-24.04\n    steps:\n      - run: echo\n';
    expect(workflowSchemaProblems(broken).join('\n')).toMatch(/\/jobs\/a /);
  });
});
