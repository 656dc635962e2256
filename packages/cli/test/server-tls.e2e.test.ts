// calcli's TLS flags against the real server serving TLS and mTLS from files it reloads.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCalcli } from './support/calcli.js';
import { TwelvefaServer } from './support/twelvefa-server.js';

let directory: string;
const file = (name: string): string => join(directory, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

/** A CA, and a certificate it signs for `subject` (SAN 127.0.0.1 and localhost). */
function issue(ca: string, name: string, subject: string): void {
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    file(`${name}-key.pem`),
    '-out',
    file(`${name}.csr`),
    '-subj',
    `/CN=${subject}`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file(`${name}.csr`),
    '-CA',
    file(`${ca}.pem`),
    '-CAkey',
    file(`${ca}-key.pem`),
    '-CAcreateserial',
    '-days',
    '1',
    '-out',
    file(`${name}.pem`),
    '-extfile',
    file('san.cnf'),
  );
}

function newCa(name: string): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    file(`${name}-key.pem`),
    '-out',
    file(`${name}.pem`),
    '-days',
    '1',
    '-subj',
    `/CN=${name}`,
  );
}

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
  directory = mkdtempSync(join(tmpdir(), 'calcli-server-tls-'));
  writeFileSync(file('san.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  newCa('ca');
  issue('ca', 'server', 'twelvefa-1');
  issue('ca', 'rotated', 'twelvefa-2');
  newCa('client-ca');
  issue('client-ca', 'client', 'calcli');
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('the server with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  let server: TwelvefaServer;
  let address: string;

  beforeAll(async () => {
    copyFileSync(file('server.pem'), file('live.pem'));
    copyFileSync(file('server-key.pem'), file('live-key.pem'));
    server = await TwelvefaServer.start(0, {
      TLS_CERT_FILE: file('live.pem'),
      TLS_KEY_FILE: file('live-key.pem'),
      TLS_RELOAD_MS: '200',
    });
    address = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('answers calcli --tls --ca, and tells a plaintext calcli to add --tls', async () => {
    expect(
      await runCalcli(['connect', '--tls', '--ca', file('ca.pem'), address, '-e', 'add 2 5']),
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
    const ca = readFileSync(file('ca.pem'));
    expect(await presentedSubject(server.port, ca)).toBe('twelvefa-1');
    copyFileSync(file('rotated-key.pem'), file('live-key.pem'));
    copyFileSync(file('rotated.pem'), file('live.pem'));
    await expect
      .poll(() => presentedSubject(server.port, ca), { timeout: 5000, interval: 100 })
      .toBe('twelvefa-2');
    expect(
      await runCalcli(['connect', '--tls', '--ca', file('ca.pem'), address, '-e', 'max 2 5']),
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
      TLS_CERT_FILE: file('server.pem'),
      TLS_KEY_FILE: file('server-key.pem'),
      TLS_CLIENT_CA_FILE: file('client-ca.pem'),
    });
    address = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('admits calcli with --cert and --key, and refuses it without', async () => {
    const tls = ['connect', '--tls', '--ca', file('ca.pem'), address];
    const without = await runCalcli([...tls, '-e', 'add 1 1']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/^calcli: cannot connect to 127\.0\.0\.1:\d+/);
    const withCert = await runCalcli([
      ...tls,
      '--cert',
      file('client.pem'),
      '--key',
      file('client-key.pem'),
      '-e',
      'add 1 1',
    ]);
    expect(withCert).toEqual({ code: 0, stdout: '2\n', stderr: '' });
  });
});
