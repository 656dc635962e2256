import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalSecretProblems } from '../src/external-secrets.js';
import { renderOverlay } from '../src/kustomize.js';
import { loadProviderSchemas, type ProviderSchema } from '../src/provider-schema.js';
import { repoPath } from '../src/repo-root.js';
import {
  attribute,
  blocks,
  layoutProblems,
  loadTerraform,
  type TerraformConfig,
} from '../src/terraform.js';
import { terraformSchemaProblems } from '../src/terraform-schema.js';
import { constraintAdmits } from '../src/terraform-version-constraint.js';
import { dig, type YamlObject } from '../src/yaml-documents.js';

let schemas: Map<string, ProviderSchema>;

beforeAll(async () => {
  schemas = await loadProviderSchemas();
});

describe('infra/terraform', () => {
  let config: TerraformConfig;
  let prod: YamlObject[];

  beforeAll(async () => {
    config = await loadTerraform(repoPath('infra/terraform'));
    prod = await renderOverlay('prod');
  });

  it('is valid against the providers’ schemas (google, helm, random), in place of terraform validate', () => {
    expect([...schemas.values()].map((s) => `${s.source} ${s.version}`)).toEqual([
      'hashicorp/google 6.50.0',
      'hashicorp/helm 3.1.1',
      'hashicorp/random 3.7.2',
    ]);
    expect(terraformSchemaProblems(config, schemas)).toEqual([]);
  });

  it('installs KEDA from a pinned chart, reachable by the private control plane', async () => {
    const keda = 'helm_release.keda';
    expect(attribute(config, keda, 'repository')).toBe('https://kedacore.github.io/charts');
    expect(attribute(config, keda, 'chart')).toBe('keda');
    const version = String(attribute(config, keda, 'version'));
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await readFile(repoPath('docs/kubernetes.md'), 'utf8')).toContain(
      `pinned to ${version}`,
    );
    expect(attribute(config, keda, 'namespace')).toBe('keda');
    const firewall = 'google_compute_firewall.control_plane_to_keda';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as hcl2json writes it
    expect(attribute(config, firewall, 'source_ranges')).toEqual(['${var.master_cidr}']);
    expect(attribute(config, firewall, 'allow', 0, 'ports')).toEqual(['6443', '9443']);
    // Managed collection on the cluster, and the query frontend's read access.
    expect(
      attribute(
        config,
        'google_container_cluster.main',
        'monitoring_config',
        0,
        'managed_prometheus',
        0,
        'enabled',
      ),
    ).toBe(true);
    expect(attribute(config, 'google_project_iam_member.gmp_frontend', 'role')).toBe(
      'roles/monitoring.viewer',
    );
    expect(String(attribute(config, 'google_project_iam_member.gmp_frontend', 'member'))).toMatch(
      /\/subject\/ns\/gmp-frontend\/sa\/frontend$/,
    );
  });

  it('fills Secret Manager with the Redis URL, Memorystore’s CA, the dashboard password and the smoke key only', () => {
    expect(
      attribute(config, 'google_secret_manager_secret_version.redis_ca', 'secret_data'),
    ).toMatch(/google_redis_instance\.queue\.server_ca_certs\[\*\]\.cert/);
    expect(
      String(attribute(config, 'google_secret_manager_secret_version.redis_url', 'secret_data')),
    ).toMatch(/^rediss:\/\//);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as hcl2json writes it
    const password = '${random_password.dashboard.result}';
    expect(
      attribute(config, 'google_secret_manager_secret_version.dashboard_password', 'secret_data'),
    ).toBe(password);
    // A fresh deployment lets in the smoke test's key alone; operators add versions that
    // Terraform leaves alone.
    const keys = String(
      attribute(config, 'google_secret_manager_secret_version.api_keys_initial', 'secret_data'),
    );
    expect(keys).toMatch(/client\s*=\s*"smoke"/);
    expect(keys).toMatch(/sha256\s*=\s*sha256\(local\.smoke_api_key\)/);
    expect(keys.match(/client\s*=/g)).toHaveLength(1);
  });

  it('declares, fills and lets the cluster read every Secret Manager secret the overlays sync', async () => {
    const staging = await renderOverlay('staging');
    for (const [objects, name] of [
      [prod, 'twelvefa'],
      [staging, 'twelvefa-staging'],
    ] as const) {
      expect(objects.filter((o) => o.kind === 'ExternalSecret')).toHaveLength(4);
      expect(externalSecretProblems(objects, config, name)).toEqual([]);
    }
    const eso = 'helm_release.external_secrets';
    expect(attribute(config, eso, 'repository')).toBe('https://charts.external-secrets.io');
    // The CRDs deploy-checks validates the overlays against are this release's.
    const readme = await readFile(repoPath('packages/deploy-checks/crds/README.md'), 'utf8');
    expect(readme).toContain(`external-secrets v${String(attribute(config, eso, 'version'))}`);
    expect(readme).toContain(`KEDA v${String(attribute(config, 'helm_release.keda', 'version'))}`);
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
    // This project, or (staging pulling prod's images) the one var.image_source names.
    const projects = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as hcl2json writes it
      '${var.project_id}',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as hcl2json writes it
      '${var.image_source.project}',
    ];
    for (const [address, body] of blocks(config, 'resource')) {
      if (body.project !== undefined) expect(projects, address).toContain(body.project);
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
  async function problemsOf(text: string): Promise<string> {
    const dir = await mkdtemp(join(scratch, 'schema-'));
    await writeFile(join(dir, 'main.tf'), text);
    return terraformSchemaProblems(await loadTerraform(dir), schemas).join('\n');
  }

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

  it('reject an unknown argument or type, a block written as an attribute and the reverse', async () => {
    const problems = await problemsOf(
      [
        'terraform {',
        '  required_providers {',
        '    google = { source = "hashicorp/google", version = "~> 5.0" }',
        '  }',
        '}',
        'provider "helm" {',
        '  kubernetes {',
        '    host = "https://example"',
        '  }',
        '}',
        'resource "google_redis_instance" "queue" {',
        '  name               = "queue"',
        '  transit_encryption = "SERVER_AUTHENTICATION"',
        '  persistence_config = { persistence_mode = "RDB" }',
        '}',
        'resource "google_compute_instance_thing" "x" {}',
      ].join('\n'),
    );
    expect(problems).toMatch(/google_redis_instance\.queue: unknown argument "transit_encryption"/);
    expect(problems).toMatch(/the required argument "memory_size_gb" is missing/);
    expect(problems).toMatch(/"persistence_config" is a block: write persistence_config \{/);
    expect(problems).toMatch(
      /provider "helm": "kubernetes" is an attribute: write kubernetes = \{/,
    );
    expect(problems).toMatch(/has no resource type google_compute_instance_thing/);
    expect(problems).toMatch(/required_providers\.google: "~> 5\.0" does not admit 6\.50\.0/);
    expect(problems).toMatch(/required_providers: helm is used but not required/);
  });

  it('reject a reference to an undeclared resource, attribute, variable or local', async () => {
    const problems = await problemsOf(
      [
        'resource "google_redis_instance" "queue" {',
        '  name           = var.nope',
        '  memory_size_gb = 1',
        '}',
        'resource "google_secret_manager_secret_version" "ca" {',
        '  secret      = google_secret_manager_secret.missing.id',
        '  secret_data = join("", google_redis_instance.queue.server_ca_certs[*].certificate)',
        '}',
        'resource "google_secret_manager_secret_version" "fine" {',
        '  secret      = local.nada',
        '  secret_data = google_redis_instance.queue.server_ca_certs[0].cert',
        '}',
      ].join('\n'),
    );
    expect(problems).toMatch(/google_secret_manager_secret\.missing is not declared/);
    expect(problems).toMatch(/server_ca_certs\[\*\]\.certificate: no attribute "certificate"/);
    expect(problems).toMatch(/var\.nope is not declared/);
    expect(problems).toMatch(/local\.nada is not declared/);
    expect(problems).not.toMatch(/server_ca_certs\[0\]\.cert:/);
  });

  it('read version constraints as Terraform does', () => {
    expect(constraintAdmits('~> 6.50', '6.50.0')).toBe(true);
    expect(constraintAdmits('~> 6.50', '6.99.1')).toBe(true);
    expect(constraintAdmits('~> 6.50', '7.0.0')).toBe(false);
    expect(constraintAdmits('~> 6.50', '6.49.0')).toBe(false);
    expect(constraintAdmits('~> 3.1.1', '3.2.0')).toBe(false);
    expect(constraintAdmits('>= 1.2, < 2', '1.9.9')).toBe(true);
    expect(constraintAdmits('= 3.7.2', '3.7.1')).toBe(false);
  });

  it('reject an ExternalSecret whose secret is undeclared, or that the cluster may not read', async () => {
    const config = await loadTerraform(repoPath('infra/terraform'));
    const prod = await renderOverlay('prod');
    const eso = config.parsed['external-secrets.tf'] as YamlObject;
    const reads = dig(
      eso,
      'resource',
      'google_secret_manager_secret_iam_member',
      'cluster_reads',
      0,
    );
    delete (dig(reads, 'for_each') as YamlObject).redis_ca;
    const problems = externalSecretProblems(prod, config, 'twelvefa').join('\n');
    expect(problems).toMatch(
      /ExternalSecret\/twelvefa-redis-ca: twelvefa\/twelvefa-secrets may not read google_secret_manager_secret\.redis_ca/,
    );
    expect(externalSecretProblems(prod, config, 'twelvefa-staging').join('\n')).toMatch(
      /ExternalSecret\/twelvefa-redis: Terraform declares no Secret Manager secret twelvefa-redis-url \(name = twelvefa-staging\)/,
    );
    const anonymous = prod.filter(
      (o) => o.kind !== 'ServiceAccount' || dig(o, 'metadata', 'name') !== 'twelvefa-secrets',
    );
    expect(externalSecretProblems(anonymous, config, 'twelvefa').join('\n')).toMatch(
      /its store signs in as no rendered ServiceAccount/,
    );
  });

  it('reject misaligned, mis-indented or tab-indented lines', () => {
    const text = 'resource "a" "b" {\n  name = "x"\n  region = "y"\n   other = 1\n\tz = 2\n}\n';
    const problems = layoutProblems('bad.tf', text).join('\n');
    expect(problems).toMatch(/bad\.tf:2: "=" not aligned/);
    expect(problems).toMatch(/bad\.tf:4: indented 3, expected 2/);
    expect(problems).toMatch(/bad\.tf:5: tab/);
  });
});
