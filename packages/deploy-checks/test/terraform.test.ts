import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderOverlay } from '../src/kustomize.js';
import { repoPath } from '../src/repo-root.js';
import {
  attribute,
  blocks,
  layoutProblems,
  loadTerraform,
  type TerraformConfig,
} from '../src/terraform.js';
import { dig, type YamlObject } from '../src/yaml-documents.js';

describe('infra/terraform', () => {
  let config: TerraformConfig;
  let prod: YamlObject[];

  beforeAll(async () => {
    config = await loadTerraform(repoPath('infra/terraform'));
    prod = await renderOverlay('prod');
  });

  it('parses, and is laid out as terraform fmt writes it', () => {
    expect(Object.keys(config.files).length).toBeGreaterThan(5);
    const problems = Object.entries(config.files).flatMap(([name, text]) =>
      layoutProblems(name, text),
    );
    expect(problems).toEqual([]);
  });

  it('keeps its state in a remote backend and pins the provider', () => {
    const terraform = Object.values(config.parsed).flatMap(
      (f) => (f.terraform as YamlObject[]) ?? [],
    );
    expect(terraform.some((t) => dig(t, 'backend', 'gcs') !== undefined)).toBe(true);
    expect(
      terraform.some(
        (t) => typeof dig(t, 'required_providers', 0, 'google', 'version') === 'string',
      ),
    ).toBe(true);
  });

  it('declares every variable with a type and a description, and hard-codes no project', () => {
    const variables = blocks(config, 'variable');
    for (const name of [
      'project_id',
      'region',
      'api_machine_type',
      'worker_machine_type',
      'redis_memory_size_gb',
    ]) {
      expect(variables.has(name), name).toBe(true);
    }
    for (const [name, body] of variables) {
      expect(body.description, `${name}.description`).toEqual(expect.any(String));
      expect(body.type, `${name}.type`).toEqual(expect.any(String));
    }
    for (const [address, body] of blocks(config, 'resource')) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as hcl2json writes it
      if (body.project !== undefined) expect(body.project, address).toBe('${var.project_id}');
    }
  });

  it('creates a GKE cluster with separate autoscaled node pools for the API and the workers', () => {
    expect(attribute(config, 'google_container_cluster.main', 'remove_default_node_pool')).toBe(
      true,
    );
    expect(attribute(config, 'google_container_cluster.main', 'datapath_provider')).toBe(
      'ADVANCED_DATAPATH',
    );
    for (const pool of ['api', 'worker']) {
      const address = `google_container_node_pool.${pool}`;
      expect(attribute(config, address, 'autoscaling', 0, 'max_node_count'), address).toBeDefined();
    }
  });

  it('matches the prod overlay: pool labels, the worker taint, the Gateway address and certificate', () => {
    const pools = { api: 'twelvefa-api', worker: 'twelvefa-worker' } as const;
    for (const [pool, deployment] of Object.entries(pools)) {
      const label = attribute(
        config,
        `google_container_node_pool.${pool}`,
        'node_config',
        0,
        'labels',
      );
      const selector = dig(
        prod.find((o) => o.kind === 'Deployment' && dig(o, 'metadata', 'name') === deployment),
        'spec',
        'template',
        'spec',
        'nodeSelector',
      );
      expect(selector).toEqual(label);
    }
    const taint = attribute(
      config,
      'google_container_node_pool.worker',
      'node_config',
      0,
      'taint',
      0,
    ) as YamlObject;
    const worker = prod.find(
      (o) => o.kind === 'Deployment' && dig(o, 'metadata', 'name') === 'twelvefa-worker',
    );
    expect(dig(worker, 'spec', 'template', 'spec', 'tolerations', 0)).toMatchObject({
      key: taint.key,
      value: taint.value,
      effect: 'NoSchedule',
    });
    const name = String(blocks(config, 'variable').get('name')?.default);
    const gateway = prod.find((o) => o.kind === 'Gateway');
    const expected = attribute(config, 'google_compute_global_address.gateway', 'name');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as hcl2json writes it
    expect(expected).toBe('${var.name}-gateway');
    expect(dig(gateway, 'spec', 'addresses', 0, 'value')).toBe(`${name}-gateway`);
    expect(
      dig(gateway, 'spec', 'listeners', 0, 'tls', 'options', 'networking.gke.io/pre-shared-certs'),
    ).toBe(`${name}-gateway`);
  });

  it('runs Memorystore with AUTH, TLS and noeviction, and an Artifact Registry', () => {
    const redis = 'google_redis_instance.queue';
    expect(attribute(config, redis, 'auth_enabled')).toBe(true);
    expect(attribute(config, redis, 'transit_encryption_mode')).toBe('SERVER_AUTHENTICATION');
    expect(attribute(config, redis, 'redis_configs', 'maxmemory-policy')).toBe('noeviction');
    expect(attribute(config, 'google_artifact_registry_repository.images', 'format')).toBe(
      'DOCKER',
    );
  });

  it('gives CI a keyless identity with no broad role', () => {
    const resources = blocks(config, 'resource');
    expect([...resources.keys()].some((a) => a.startsWith('google_service_account_key.'))).toBe(
      false,
    );
    expect(resources.has('google_iam_workload_identity_pool_provider.github')).toBe(true);
    for (const [address, body] of resources) {
      expect(['roles/owner', 'roles/editor'], address).not.toContain(body.role);
    }
  });
});

describe('the Terraform checks themselves', () => {
  let scratch = '';

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'twelvefa-tf-'));
  });

  afterAll(async () => {
    if (scratch !== '') await rm(scratch, { recursive: true, force: true });
  });

  it('reject HCL that does not parse', async () => {
    await writeFile(join(scratch, 'broken.tf'), 'resource "a" "b" {\n  name = \n');
    await expect(loadTerraform(scratch)).rejects.toThrow(/broken\.tf/);
  });

  it('reject misaligned, mis-indented or tab-indented lines', () => {
    const text = 'resource "a" "b" {\n  name = "x"\n  region = "y"\n   other = 1\n\tz = 2\n}\n';
    const problems = layoutProblems('bad.tf', text).join('\n');
    expect(problems).toMatch(/bad\.tf:2: "=" not aligned/);
    expect(problems).toMatch(/bad\.tf:4: indented 3, expected 2/);
    expect(problems).toMatch(/bad\.tf:5: tab/);
  });
});
