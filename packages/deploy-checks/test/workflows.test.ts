import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoPath } from '../src/repo-root.js';
import { applyPosition, callerInputs, deployJobProducers } from '../src/secret-provenance.js';
import { aptInstallProblems, ciRunAptPackages, workflowSchemaProblems } from '../src/workflows.js';
import { dig } from '../src/yaml-documents.js';

const dir = repoPath('.github/workflows');
/** A GitHub Actions expression as a workflow writes it: `${{ expression }}`. */
const github = (expression: string): string => `$\{{ ${expression} }}`;
const read = (name: string) => readFile(`${dir}/${name}`, 'utf8');

describe('.github/workflows', () => {
  it('holds workflows valid against the GitHub Actions schema', async () => {
    const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f));
    expect(files.sort()).toEqual(['ci.yml', 'deliver.yml', 'deploy.yml']);
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

  it('delivers: tests first, pushes one image, deploys it by digest to staging, then to prod', async () => {
    const text = await read('deliver.yml');
    const deliver = parse(text);
    expect(dig(deliver, 'jobs', 'test', 'uses')).toBe('./.github/workflows/ci.yml');
    expect(dig(deliver, 'jobs', 'image', 'needs')).toBe('test');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell expansion inside the workflow
    expect(text).toContain('${IMAGE_REPOSITORY}@${DIGEST}');
    expect(dig(deliver, 'jobs', 'staging', 'needs')).toBe('image');
    // Production waits for staging's rollout and smoke test.
    expect(dig(deliver, 'jobs', 'production', 'needs')).toEqual(['image', 'staging']);
    expect(callerInputs(text, './.github/workflows/deploy.yml')).toEqual([
      {
        environment: 'staging',
        overlay: 'infra/k8s/overlays/staging',
        image: github('needs.image.outputs.image'),
      },
      {
        environment: 'production',
        overlay: 'infra/k8s/overlays/prod',
        image: github('needs.image.outputs.image'),
      },
    ]);
    const deploy = await read('deploy.yml');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell expansion inside the workflow
    expect(deploy).toContain('kustomize edit set image "twelvefa=${IMAGE}"');
    expect(deploy).toContain(`kubectl apply -k ${github('inputs.overlay')}`);
    for (const workflow of [text, deploy]) expect(workflow).not.toMatch(/\{\{\s*secrets\./);
  });

  it('smoke-tests each environment through its public endpoint with calcli and an API key', async () => {
    const steps = dig(parse(await read('deploy.yml')), 'jobs', 'deploy', 'steps') as {
      name?: string;
      run?: string;
      env?: Record<string, string>;
    }[];
    const rollout = steps.findIndex((s) => /kubectl rollout status/.test(s.run ?? ''));
    const smoke = steps.findIndex((s) =>
      /calcli connect --tls "\$API_DOMAIN:443"/.test(s.run ?? ''),
    );
    expect(rollout).toBeGreaterThanOrEqual(0);
    expect(smoke).toBeGreaterThan(rollout);
    const run = steps[smoke]?.run ?? '';
    expect(run).toContain('-e "add 2 5" -e "np 9999 1234 1 2 3 4"');
    expect(run).toContain("printf '7\\n104723 10061 2 3 5 7'");
    expect(run).toMatch(/::add-mask::\$key/);
    expect(steps[smoke]?.env).toEqual({
      API_DOMAIN: github('vars.API_DOMAIN'),
      SMOKE_API_KEY_SECRET: github('vars.SMOKE_API_KEY_SECRET'),
    });
  });

  it('deploys in order: prerequisites checked, the frontend, the overlay, its ExternalSecrets Ready, then the rollout', async () => {
    const text = await read('deploy.yml');
    const callers = callerInputs(await read('deliver.yml'), './.github/workflows/deploy.yml');
    const steps = dig(parse(text), 'jobs', 'deploy', 'steps') as { run?: string }[];
    const runs = steps.map((s) => s.run ?? '');
    const index = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    const crds = index(/kubectl get crd/);
    expect(crds).toBeGreaterThanOrEqual(0);
    for (const crd of [
      'scaledobjects.keda.sh',
      'externalsecrets.external-secrets.io',
      'secretstores.external-secrets.io',
      'podmonitorings.monitoring.googleapis.com',
      'gateways.gateway.networking.k8s.io',
      'grpcroutes.gateway.networking.k8s.io',
      'healthcheckpolicies.networking.gke.io',
      'gcpbackendpolicies.networking.gke.io',
    ]) {
      expect(runs[crds]).toContain(crd);
    }
    const frontend = applyPosition(text, 'infra/k8s/platform/gmp-frontend');
    const overlay = applyPosition(text, 'infra/k8s/overlays/prod', 'deploy', callers);
    expect(applyPosition(text, 'infra/k8s/overlays/staging', 'deploy', callers)).toBe(overlay);
    if (frontend === undefined || overlay === undefined) throw new Error('an apply is missing');
    expect(crds * 1000).toBeLessThan(frontend);
    expect(frontend).toBeLessThan(overlay);
    // The pods' Secrets exist before the rollout is waited for, so a refusal by Secret Manager
    // shows as its own failed step.
    const secretsReady = index(/kubectl wait externalsecret --all/);
    const rollout = index(/kubectl rollout status deployment\/twelvefa-api/);
    expect(secretsReady * 1000).toBeGreaterThan(overlay);
    expect(secretsReady).toBeLessThan(rollout);
    // The cluster's Secrets come through External Secrets: the job writes none and reads only
    // the smoke test's key, which it masks.
    expect(deployJobProducers(text, 'deploy', callers).filter((p) => p.kind === 'Secret')).toEqual(
      [],
    );
    expect([...text.matchAll(/gcloud secrets versions access/g)]).toHaveLength(1);
    expect(text).toMatch(/::add-mask::\$key/);
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
