import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { freePort, ManagedProcess } from '@twelvefa/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from './helpers/bins.js';
import { TestCalcClient } from './helpers/calc-client.js';
import { knownPrime } from './helpers/known-primes.js';
import { freshQueueName } from './helpers/queue-fixture.js';
import { startTestServer } from './helpers/test-server.js';
import { waitUntil } from './helpers/wait-until.js';

/** A CA of our own and a server certificate for 127.0.0.1 it signed, as Memorystore has. */
function makeCertificates(directory: string): { ca: string; cert: string; key: string } {
  const file = (name: string): string => join(directory, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  writeFileSync(file('san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('san.cnf'),
    '-out',
    file('server.pem'),
  );
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

// Memorystore serves TLS only, with a certificate from its own CA (SERVER_AUTHENTICATION):
// every Redis client of every process must verify against REDIS_TLS_CA_FILE.
describe('Redis over TLS with REDIS_TLS_CA_FILE', () => {
  let directory: string;
  let redis: ManagedProcess;
  let url: string;
  let ca: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'twelvefa-tls-'));
    const certificates = makeCertificates(directory);
    ca = certificates.ca;
    const port = await freePort();
    url = `rediss://127.0.0.1:${port}`;
    redis = ManagedProcess.start('redis-server', 'redis-server', [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--tls-cert-file',
      certificates.cert,
      '--tls-key-file',
      certificates.key,
      '--tls-ca-cert-file',
      certificates.ca,
      '--tls-auth-clients',
      'no',
    ]);
    await redis.waitForLine((line) => line.includes('Ready to accept connections'));
  });

  afterAll(async () => {
    await redis?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('runs heavy work through a worker and records it in the event log, all over TLS', async () => {
    const env = {
      REDIS_URL: url,
      REDIS_TLS_CA_FILE: ca,
      QUEUE_PREFIX: 'twelvefa-test',
      QUEUE_NAME: freshQueueName('tls'),
      EVENT_STREAM: 'twelvefa-test:tls-events',
      INLINE_MAX_N: '1000',
    };
    const worker = ManagedProcess.node(BIN.worker, env);
    const api = ManagedProcess.node(BIN.api, { ...env, HOST: '127.0.0.1', PORT: '0' });
    const client = new TestCalcClient(
      Number((await api.waitForRecord((line) => line.msg === 'listening')).port),
    );
    try {
      await worker.waitForRecord((line) => line.msg === 'worker ready');
      await api.waitForRecord((line) => line.msg === 'job runner' && line.ready === true);
      expect(await client.nthPrimes([10_000n])).toEqual({
        ok: true,
        value: [BigInt(knownPrime(10_000))],
      });
      // The event log's writer (in the API) and its reader (twelvefa-events) both use TLS.
      client.close();
      await api.stop();
      const events = ManagedProcess.node(BIN.events, env, ['--from', '0']);
      expect((await events.exited).code, events.log).toBe(0);
      expect(events.records.map((record) => record.type)).toEqual(['command', 'result']);
    } finally {
      client.close();
      await Promise.all([api.stop(), worker.stop()]);
    }
  });

  it('cannot reach Redis without the CA: heavy work UNAVAILABLE, the certificate refused', async () => {
    const t = await startTestServer({
      REDIS_URL: url,
      QUEUE_PREFIX: 'twelvefa-test',
      QUEUE_NAME: freshQueueName('tls-no-ca'),
      INLINE_MAX_N: '1000',
    });
    try {
      const result = await t.client.nthPrimes([5000n]);
      expect(result).toMatchObject({ ok: false, code: status.UNAVAILABLE });
      expect(t.server.health.status).toBe('NOT_SERVING');
      await waitUntil(
        () => /self.signed|unable to verify|certificate/i.test(JSON.stringify(t.lines)),
        'the refused certificate is logged',
      );
    } finally {
      await t.close();
    }
  });
});
