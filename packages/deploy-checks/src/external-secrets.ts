import { objectName } from './kubernetes-schema.js';
import { blocks, type TerraformConfig } from './terraform.js';
import { asArray, dig, isObject, type YamlObject } from './yaml-documents.js';

// An ExternalSecret whose remote secret does not exist, is empty, or may not be read never
// becomes a Secret, and its pods never start; nothing offline would notice. This module
// joins the rendered ExternalSecrets to the Terraform that declares the secrets.

// The secrets one IAM member resource covers: its secret_id, or each of its for_each values.
function secretsCovered(member: YamlObject): unknown[] {
  const forEach = member.for_each;
  return member.secret_id === '${each.value}' && isObject(forEach)
    ? Object.values(forEach)
    : [member.secret_id];
}

/**
 * Each rendered ExternalSecret reads a SecretStore rendered beside it that signs in to Secret
 * Manager as a rendered ServiceAccount (Workload Identity), and each remote key is a
 * google_secret_manager_secret whose secret_id (with var.name = `name`) it is, that is given a
 * value (a secret version), and that this ServiceAccount may read (secretAccessor for
 * serviceAccount:POOL[namespace/name]). Returns the problems found.
 */
export function externalSecretProblems(
  objects: readonly YamlObject[],
  terraform: TerraformConfig,
  name: string,
): string[] {
  const problems: string[] = [];
  const resources = blocks(terraform, 'resource');
  const find = (kind: string, wanted: unknown, namespace: string) =>
    objects.find(
      (o) =>
        o.kind === kind &&
        dig(o, 'metadata', 'name') === wanted &&
        String(dig(o, 'metadata', 'namespace') ?? 'default') === namespace,
    );
  for (const external of objects.filter((o) => o.kind === 'ExternalSecret')) {
    const what = objectName(external);
    const namespace = String(dig(external, 'metadata', 'namespace') ?? 'default');
    const storeName = dig(external, 'spec', 'secretStoreRef', 'name');
    const store = find('SecretStore', storeName, namespace);
    if (!store) {
      problems.push(`${what}: no SecretStore ${String(storeName)} in namespace ${namespace}`);
      continue;
    }
    const account = dig(
      store,
      'spec',
      'provider',
      'gcpsm',
      'auth',
      'workloadIdentity',
      'serviceAccountRef',
      'name',
    );
    if (typeof account !== 'string' || !find('ServiceAccount', account, namespace)) {
      problems.push(
        `${what}: its store signs in as no rendered ServiceAccount (Workload Identity)`,
      );
      continue;
    }
    // serviceAccount:POOL[namespace/name], POOL being PROJECT.svc.id.goog or gke.tf's.
    const principal = `[${namespace}/${account}]`;
    for (const entry of asArray(dig(external, 'spec', 'data'))) {
      const key = String(dig(entry, 'remoteRef', 'key'));
      const address = [...resources].find(
        ([a, body]) =>
          a.startsWith('google_secret_manager_secret.') &&
          String(body.secret_id).replace('${var.name}', name) === key,
      )?.[0];
      if (!address) {
        problems.push(
          `${what}: Terraform declares no Secret Manager secret ${key} (name = ${name})`,
        );
        continue;
      }
      const id = `\${${address}.id}`;
      const filled = [...resources].some(
        ([a, body]) => a.startsWith('google_secret_manager_secret_version.') && body.secret === id,
      );
      if (!filled) problems.push(`${what}: ${address} is given no value (secret version)`);
      const readable = [...resources].some(
        ([a, body]) =>
          a.startsWith('google_secret_manager_secret_iam_member.') &&
          secretsCovered(body).includes(id) &&
          body.role === 'roles/secretmanager.secretAccessor' &&
          String(body.member).startsWith('serviceAccount:') &&
          String(body.member).endsWith(principal),
      );
      if (!readable) problems.push(`${what}: ${namespace}/${account} may not read ${address}`);
    }
  }
  return problems;
}
