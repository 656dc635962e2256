import { experimental, ServerCredentials } from '@grpc/grpc-js';
import type { ServerTlsConfig } from '../config/api-config.js';

/**
 * The gRPC port's credentials: plaintext, or TLS from files grpc-js reads again every
 * `reloadMs` (its FileWatcherCertificateProvider), so a rotated certificate, key or client CA
 * is served to new connections without a restart. With a client CA, a client without a
 * certificate that CA signed is refused at the handshake.
 */
export function serverCredentials(tls: ServerTlsConfig | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  const identity = new experimental.FileWatcherCertificateProvider({
    certificateFile: tls.certFile,
    privateKeyFile: tls.keyFile,
    refreshIntervalMs: tls.reloadMs,
  });
  const clientCa =
    tls.clientCaFile === undefined
      ? null
      : new experimental.FileWatcherCertificateProvider({
          caCertificateFile: tls.clientCaFile,
          refreshIntervalMs: tls.reloadMs,
        });
  // grpc-js's declaration names the first parameter the CA provider, but its implementation
  // (1.14) takes the identity first and the optional CA second, which the types' nullability
  // also says.
  return experimental.createCertificateProviderServerCredentials(
    identity,
    clientCa,
    clientCa !== null,
  );
}
