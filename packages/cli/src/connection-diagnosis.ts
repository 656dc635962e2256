import { stat } from 'node:fs/promises';
import { isIP, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** Where and how calcli tried to connect. */
export interface DiagnosisTarget {
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly ca?: Buffer;
}

type TcpProbe = { kind: 'open' } | { kind: 'failed'; code: string };
type TlsProbe =
  | { kind: 'tls'; authorized: boolean; authorizationError?: string }
  | { kind: 'not-tls' };

/**
 * Explains why a gRPC connection could not be established, in a few words a
 * user can act on: "connection refused", or a hint when TLS and plaintext
 * were mixed up, instead of the raw handshake error.
 */
export async function diagnoseConnection(
  target: DiagnosisTarget,
  timeoutMs: number,
): Promise<string> {
  const tcp = await probeTcp(target, timeoutMs);
  if (tcp.kind === 'failed') {
    switch (tcp.code) {
      case 'ECONNREFUSED':
        return 'connection refused (is the server running on that port?)';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `host "${target.host}" not found`;
      case 'ETIMEDOUT':
        return 'no answer';
      default:
        return tcp.code;
    }
  }
  const tls = await probeTls(target, timeoutMs);
  if (!target.tls && tls.kind === 'tls') {
    return 'the server speaks TLS but calcli used plaintext; add --tls (and --ca FILE for a private CA)';
  }
  if (target.tls && tls.kind === 'not-tls') {
    return 'the server does not speak TLS (plaintext?); drop --tls';
  }
  if (target.tls && tls.kind === 'tls' && !tls.authorized) {
    return `the server's TLS certificate is not trusted (${tls.authorizationError ?? 'unknown reason'}); pass --ca FILE with the CA that signed it`;
  }
  return 'the port accepts connections but no gRPC server answered';
}

function probeTcp(target: DiagnosisTarget, timeoutMs: number): Promise<TcpProbe> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const finish = (probe: TcpProbe): void => {
      socket.destroy();
      resolve(probe);
    };
    socket.setTimeout(timeoutMs, () => finish({ kind: 'failed', code: 'ETIMEDOUT' }));
    socket.once('connect', () => finish({ kind: 'open' }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'failed', code: error.code ?? error.message }),
    );
    socket.connect(target.port, target.host);
  });
}

function probeTls(target: DiagnosisTarget, timeoutMs: number): Promise<TlsProbe> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: target.host,
      port: target.port,
      // SNI must not be an IP address.
      ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(target.ca ? { ca: target.ca } : {}),
      ALPNProtocols: ['h2'],
      // We only want to know whether the server speaks TLS and whether we trust it.
      rejectUnauthorized: false,
    });
    const finish = (probe: TlsProbe): void => {
      socket.destroy();
      resolve(probe);
    };
    socket.setTimeout(timeoutMs, () => finish({ kind: 'not-tls' }));
    socket.once('secureConnect', () => {
      const authorizationError = socket.authorizationError;
      finish({
        kind: 'tls',
        authorized: socket.authorized,
        ...(authorizationError ? { authorizationError: String(authorizationError) } : {}),
      });
    });
    socket.once('error', () => finish({ kind: 'not-tls' }));
    socket.once('close', () => finish({ kind: 'not-tls' }));
  });
}

/** Explains why a unix socket could not be reached: no such file, not a socket, or nobody listening. */
export async function diagnoseUnixSocket(path: string, timeoutMs: number): Promise<string> {
  try {
    if (!(await stat(path)).isSocket()) return `${path} is not a socket`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `no socket at ${path} (is the server running?)`;
    if (code === 'EACCES') return `no permission to reach ${path}`;
    return code ?? String(error);
  }
  const probe = await new Promise<string | undefined>((resolve) => {
    const socket = new Socket();
    const finish = (reason: string | undefined): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => finish('no answer'));
    socket.once('connect', () => finish(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish(
        error.code === 'ECONNREFUSED'
          ? `nothing listens on ${path}`
          : (error.code ?? error.message),
      ),
    );
    socket.connect(path);
  });
  return probe ?? 'the socket accepts connections but no gRPC server answered';
}
