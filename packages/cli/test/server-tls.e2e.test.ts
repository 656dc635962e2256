// calcli's TLS flags against the real server serving TLS and mTLS from files it reloads.
import { copyFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCalcli } from './support/calcli.js';
import { type Issued, TestCertificates } from './support/certificates.js';
import { TwelvefaServer } from './support/twelvefa-server.js';

let certificates: TestCertificates;
let ca: Issued;
let server1: Issued;
let server2: Issued;
let clientCa: Issued;
let client: Issued;

/** The subject of the certificate a TLS server presents on port. */
function presentedSubject(port: number, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port, ca, ALPNProtocols: ['h2'], rejectUnauthorized: false },
      () => {
        resolve(String(socket.getPeerCertificate().subject?.CN));
        socket.destroy();
      },
    );
    socket.once('error', reject);
  });
}

beforeAll(() => {
  certificates = new TestCertificates();
  ca = certificates.selfSigned('ca', 'test CA');
  server1 = certificates.issue(ca, 'server-1', 'twelvefa-1');
  server2 = certificates.issue(ca, 'server-2', 'twelvefa-2');
  clientCa = certificates.selfSigned('client-ca', 'test client CA');
  client = certificates.issue(clientCa, 'client', 'calcli');
});

afterAll(() => {
  certificates?.close();
});

describe('the server with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  let server: TwelvefaServer;
  let address: string;

  beforeAll(async () => {
    copyFileSync(server1.certFile, certificates.path('live.pem'));
    copyFileSync(server1.keyFile, certificates.path('live-key.pem'));
    server = await TwelvefaServer.start(0, {
      TLS_CERT_FILE: certificates.path('live.pem'),
      TLS_KEY_FILE: certificates.path('live-key.pem'),
      TLS_RELOAD_MS: '200',
    });
    address = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers calcli --tls --ca, and tells a plaintext calcli to add --tls', async () => {
    expect(
      await runCalcli(['connect', '--tls', '--ca', ca.certFile, address, '-e', 'add 2 5']),
    ).toEqual({
      code: 0,
      stdout: '7\n',
      stderr: '',
    });
    const plain = await runCalcli(['connect', address, '-e', 'add 2 5']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('the server speaks TLS but calcli used plaintext; add --tls');
    const untrusted = await runCalcli(['connect', '--tls', address, '-e', 'add 2 5']);
    expect(untrusted.stderr).toContain("the server's TLS certificate is not trusted");
    const insecure = await runCalcli(['connect', '--tls', '--insecure', address, '-e', 'add 2 5']);
    expect(insecure).toEqual({ code: 0, stdout: '7\n', stderr: '' });
  });

  it('serves a rotated certificate to new connections without a restart', async () => {
    expect(await presentedSubject(server.port, ca.cert)).toBe('twelvefa-1');
    copyFileSync(server2.keyFile, certificates.path('live-key.pem'));
    copyFileSync(server2.certFile, certificates.path('live.pem'));
    await expect
      .poll(() => presentedSubject(server.port, ca.cert), { timeout: 5000, interval: 100 })
      .toBe('twelvefa-2');
    expect(
      await runCalcli(['connect', '--tls', '--ca', ca.certFile, address, '-e', 'max 2 5']),
    ).toEqual({
      code: 0,
      stdout: '5\n',
      stderr: '',
    });
  });
});

describe('the server with TLS_CLIENT_CA_FILE (mTLS)', () => {
  let server: TwelvefaServer;
  let address: string;

  beforeAll(async () => {
    server = await TwelvefaServer.start(0, {
      TLS_CERT_FILE: server1.certFile,
      TLS_KEY_FILE: server1.keyFile,
      TLS_CLIENT_CA_FILE: clientCa.certFile,
    });
    address = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('admits calcli with --cert and --key, and refuses it without', async () => {
    const tls = ['connect', '--tls', '--ca', ca.certFile, address];
    const without = await runCalcli([...tls, '-e', 'add 1 1']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/^calcli: cannot connect to 127\.0\.0\.1:\d+/);
    const withCert = await runCalcli([
      ...tls,
      '--cert',
      client.certFile,
      '--key',
      client.keyFile,
      '-e',
      'add 1 1',
    ]);
    expect(withCert).toEqual({ code: 0, stdout: '2\n', stderr: '' });
  });
});
