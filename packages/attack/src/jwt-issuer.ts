// An identity provider on loopback: a JWKS endpoint over HTTP and ES256 tokens signed with its
// key, with whatever claims a case wants, missing or absurd ones included. node:crypto does
// the signing, so the suite needs no JWT library and nothing in it adds claims of its own.
import { generateKeyPairSync, sign } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running provider: where its keys are, and a signer of tokens with exactly `claims`. */
export interface JwtIssuer {
  readonly jwksUrl: string;
  sign(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

const KEY_ID = 'attack-1';

const base64url = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** Starts a JWKS endpoint on 127.0.0.1 with one fresh P-256 key. */
export async function startJwtIssuer(): Promise<JwtIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: KEY_ID, alg: 'ES256', use: 'sig' };
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    sign: (claims) => {
      const signed = `${base64url({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' })}.${base64url(claims)}`;
      // JWS wants the raw r || s signature, not DER.
      const signature = sign('sha256', Buffer.from(signed), {
        key: privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      return `${signed}.${signature.toString('base64url')}`;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
