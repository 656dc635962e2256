import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { RawGrpcClient } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCall, tallyCodes } from '../src/calls.js';
import { type JwtIssuer, startJwtIssuer } from '../src/jwt-issuer.js';
import { type Api, startApi } from '../src/service.js';

const ISSUER = 'https://id.example.com/';
const AUDIENCE = 'twelvefa';
/** acme's key may spend 0.1 CPU s per window (100 Adds); every other client 1 s (1000). */
const KEY_ADDS = 100;
const DAY_S = 86_400;

describe('a JWT holder naming itself after an API-key client', () => {
  let issuer: JwtIssuer;
  let api: Api;
  let directory: string;
  let client: RawGrpcClient;
  const key = `tfa_${randomBytes(32).toString('base64url')}`;

  beforeAll(async () => {
    issuer = await startJwtIssuer();
    directory = mkdtempSync(join(tmpdir(), 'twelvefa-identities-'));
    const keysFile = join(directory, 'keys.json');
    const sha256 = createHash('sha256').update(key).digest('hex');
    writeFileSync(
      keysFile,
      JSON.stringify({ keys: [{ client: 'acme', sha256, rateLimitCpuSeconds: KEY_ADDS / 1000 }] }),
    );
    api = await startApi({
      AUTH_KEYS_FILE: keysFile,
      AUTH_JWKS_URL: issuer.jwksUrl,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: AUDIENCE,
      RATE_LIMIT_CPU_SECONDS: '1',
    });
    client = new RawGrpcClient(`127.0.0.1:${api.port}`);
  });

  afterAll(async () => {
    client?.close();
    await api?.process.stop();
    await issuer?.close();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  const now = () => Math.floor(Date.now() / 1000);
  const token = (claims: Record<string, unknown>) =>
    issuer.sign({ iss: ISSUER, aud: AUDIENCE, ...claims });
  const adds = async (bearer: string, count: number) => {
    const results = [];
    for (let call = 0; call < count; call += 1) {
      const result = await client.send(addCall(1, 1), { authorization: `Bearer ${bearer}` });
      results.push({ code: result.status, details: result.details, ms: 0, primes: [] });
    }
    return results;
  };

  it('neither inherits the key client’s rate limit nor spends its allowance', async () => {
    const impostor = token({ sub: 'acme', iat: now(), exp: now() + 300 });
    const asJwt = await adds(impostor, KEY_ADDS + 50);
    const asKey = await adds(key, KEY_ADDS);
    console.log(
      `identities: JWT sub=acme, ${asJwt.length} Adds: ${JSON.stringify(tallyCodes(asJwt))} ` +
        `(the key client acme may make ${KEY_ADDS}); then key acme, ${asKey.length} Adds: ${JSON.stringify(tallyCodes(asKey))}`,
    );
    // Before: the JWT was client "acme", refused after the key's 100, and left the key nothing.
    expect(tallyCodes(asJwt)).toEqual({ OK: KEY_ADDS + 50 });
    expect(tallyCodes(asKey)).toEqual({ OK: KEY_ADDS });
    const [over] = await adds(key, 1);
    expect(over?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(over?.details).toMatch(/^"key:acme" is over its rate limit of 0\.1 CPU seconds/);
  });

  it('is refused with a token that never expires or is valid for a month', async () => {
    const cases = {
      'no exp': token({ sub: 'mallory', iat: now() }),
      '30 days': token({ sub: 'mallory', iat: now(), exp: now() + 30 * DAY_S }),
      '30 days, no iat': token({ sub: 'mallory', exp: now() + 30 * DAY_S }),
    };
    const outcomes = Object.fromEntries(
      await Promise.all(
        Object.entries(cases).map(async ([name, bearer]) => {
          const [result] = await adds(bearer, 1);
          return [name, result] as const;
        }),
      ),
    );
    for (const [name, result] of Object.entries(outcomes)) {
      console.log(
        `identities: JWT with ${name}: ${status[result?.code ?? -1]} "${result?.details}"`,
      );
    }
    expect(outcomes['no exp']).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: expect.stringMatching(/^the token has no expiry \(exp\)/),
    });
    expect(outcomes['30 days']).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: expect.stringMatching(/valid for too long \(exp - iat = 2592000 s/),
    });
    expect(outcomes['30 days, no iat']).toMatchObject({
      code: status.UNAUTHENTICATED,
      details: expect.stringMatching(/valid for too long \(exp - now = 259\d{4} s/),
    });
  });
});
