// The names clients are known by, one namespace per kind of credential, so that a JWT whose
// `sub` is "acme" is not the API-key client "acme": it neither spends that client's allowance
// nor inherits its key's rate limit. The name is what the logs, the event log, the rate limit's
// counters, the metrics and the fair sharing of the workers all see.

const KEY = 'key:';
const JWT = 'jwt:';

/** The client holding API keys named `name` in the keys file: `key:<name>`. */
export function keyClient(name: string): string {
  return `${KEY}${name}`;
}

/**
 * The client a JWT from `issuer` proves, by its subject: `jwt:<issuer>/<sub>` (the issuer's
 * trailing slash dropped, so `https://id.example.com/` and `ada` read `jwt:https://id.example.com/ada`).
 */
export function jwtClient(issuer: string, subject: string): string {
  return `${JWT}${issuer.replace(/\/$/, '')}/${subject}`;
}

/** The keys file's name of a key client (for its per-key overrides); undefined for any other. */
export function keyClientName(client: string): string | undefined {
  return client.startsWith(KEY) ? client.slice(KEY.length) : undefined;
}

/**
 * The metrics label of a client: a key client by name (the keys file lists a bounded few),
 * every JWT client as `jwt` (one series per subject would be one per user of the provider),
 * and a caller without credentials as `anonymous` (one per address would be one per machine).
 */
export function clientMetricLabel(client: string): string {
  if (client.startsWith(KEY)) return client;
  return client.startsWith(JWT) ? 'jwt' : 'anonymous';
}
