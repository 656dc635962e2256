import { runsLikeProd } from './kustomize.js';
import { workloads } from './manifest-queries.js';
import { asArray, dig, type YamlObject } from './yaml-documents.js';

/** The Secret holding Memorystore's server CA, and the key of the PEM bundle in it. */
export const REDIS_CA_SECRET = 'twelvefa-redis-ca';
export const REDIS_CA_KEY = 'ca.pem';

/**
 * Redis over TLS in prod (Memorystore, rediss://): every pod with a REDIS_URL sets
 * REDIS_TLS_CA_FILE to ca.pem of the Secret twelvefa-redis-ca, mounted read-only. Dev's
 * Redis has no TLS: no pod there may need that Secret.
 */
export function redisTlsProblems(objects: readonly YamlObject[], overlay: string): string[] {
  const problems: string[] = [];
  for (const { owner, pod } of workloads(objects)) {
    const volumes = asArray(dig(pod, 'spec', 'volumes'));
    const caVolumes = volumes.filter((v) => dig(v, 'secret', 'secretName') === REDIS_CA_SECRET);
    for (const container of asArray(dig(pod, 'spec', 'containers'))) {
      const name = `${owner} container ${String(dig(container, 'name'))}`;
      const env = asArray(dig(container, 'env'));
      const usesRedis = env.some((e) => dig(e, 'name') === 'REDIS_URL');
      const caFile = dig(
        env.find((e) => dig(e, 'name') === 'REDIS_TLS_CA_FILE'),
        'value',
      );
      if (!runsLikeProd(overlay)) {
        if (caFile !== undefined || caVolumes.length > 0) {
          problems.push(
            `${name}: ${overlay}'s Redis has no TLS; it must not need ${REDIS_CA_SECRET}`,
          );
        }
        continue;
      }
      if (!usesRedis) continue;
      if (typeof caFile !== 'string') {
        problems.push(`${name}: REDIS_TLS_CA_FILE must be set (Memorystore is rediss://)`);
        continue;
      }
      const mounted = asArray(dig(container, 'volumeMounts')).some((mount) => {
        const volume = caVolumes.find((v) => dig(v, 'name') === dig(mount, 'name'));
        if (!volume || dig(mount, 'readOnly') !== true) return false;
        const dir = String(dig(mount, 'mountPath')).replace(/\/$/, '');
        const items = asArray(dig(volume, 'secret', 'items'));
        const file =
          items.length === 0
            ? REDIS_CA_KEY
            : dig(
                items.find((i) => dig(i, 'key') === REDIS_CA_KEY),
                'path',
              );
        return file !== undefined && caFile === `${dir}/${String(file)}`;
      });
      if (!mounted) {
        problems.push(
          `${name}: REDIS_TLS_CA_FILE ${caFile} is not ${REDIS_CA_KEY} of the Secret ${REDIS_CA_SECRET} mounted read-only`,
        );
      }
    }
  }
  return problems;
}
