import type { ServerAddress } from './address.js';

/** How to reach the server. */
export interface ConnectionOptions {
  readonly address: ServerAddress;
  /** Use TLS; plaintext when false. */
  readonly tls: boolean;
  /** PEM CA certificates to trust for TLS; the system roots when absent. */
  readonly ca?: Buffer;
  /** How long to wait for the server to accept a connection, in milliseconds. */
  readonly connectTimeoutMs: number;
  /** PEM client certificate and its key, for servers that ask for one (mutual TLS). */
  readonly clientCertificate?: { readonly cert: Buffer; readonly key: Buffer };
  /** TLS without checking the server's certificate (--insecure): encrypted, not authenticated. */
  readonly insecure?: boolean;
  /** The :authority (and TLS server name) to send instead of the address's host. */
  readonly authority?: string;
  /** Metadata sent with every call (-H). */
  readonly headers?: readonly (readonly [name: string, value: string | Buffer])[];
  /** Each call's deadline, from when it is sent (--max-time); none when absent. */
  readonly callTimeoutMs?: number;
}
