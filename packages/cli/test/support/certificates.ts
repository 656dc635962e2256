import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM certificate and its key, as files and as bytes. */
export interface Issued {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Certificates for a test, made with openssl in a directory of their own; close() removes it. */
export class TestCertificates {
  readonly directory = mkdtempSync(join(tmpdir(), 'calcli-certs-'));

  /** A self-signed certificate (also usable as a CA) for CN=subject with these subjectAltNames. */
  selfSigned(name: string, subject: string, altNames = 'DNS:localhost,IP:127.0.0.1'): Issued {
    const files = this.files(name);
    this.openssl(
      'req',
      '-x509',
      ...NEW_KEY,
      '-keyout',
      files.keyFile,
      '-out',
      files.certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${subject}`,
      '-addext',
      `subjectAltName=${altNames}`,
    );
    return this.read(files);
  }

  /** A certificate for CN=subject signed by `ca` (made with selfSigned). */
  issue(
    ca: Issued,
    name: string,
    subject: string,
    altNames = 'DNS:localhost,IP:127.0.0.1',
  ): Issued {
    const files = this.files(name);
    const request = join(this.directory, `${name}.csr`);
    const extensions = join(this.directory, `${name}.cnf`);
    writeFileSync(extensions, `subjectAltName=${altNames}\n`);
    this.openssl(
      'req',
      ...NEW_KEY,
      '-keyout',
      files.keyFile,
      '-out',
      request,
      '-subj',
      `/CN=${subject}`,
    );
    this.openssl(
      'x509',
      '-req',
      '-in',
      request,
      '-CA',
      ca.certFile,
      '-CAkey',
      ca.keyFile,
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      files.certFile,
      '-extfile',
      extensions,
    );
    return this.read(files);
  }

  /** A path in the directory, for files a test writes itself. */
  path(name: string): string {
    return join(this.directory, name);
  }

  close(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }

  private files(name: string): { certFile: string; keyFile: string } {
    return { certFile: this.path(`${name}.pem`), keyFile: this.path(`${name}-key.pem`) };
  }

  private read(files: { certFile: string; keyFile: string }): Issued {
    return { ...files, cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
  }

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { stdio: 'ignore' });
  }
}
