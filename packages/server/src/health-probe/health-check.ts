import {
  credentials,
  status as grpcStatus,
  Metadata,
  makeClientConstructor,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

interface HealthCheckResponse {
  readonly status?: string | number;
}

interface HealthClient {
  check(
    request: { service: string },
    metadata: Metadata,
    options: { deadline: number },
    callback: (error: ServiceError | null, response?: HealthCheckResponse) => void,
  ): void;
  close(): void;
}

// grpc-health-check loads its proto with proto-loader; the shape is grpc-js's.
const HealthClientConstructor = makeClientConstructor(
  healthService as unknown as ServiceDefinition,
  'grpc.health.v1.Health',
) as unknown as new (
  address: string,
  channelCredentials: ReturnType<typeof credentials.createInsecure>,
) => HealthClient;

const STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

/** "host:port" from ":3000", "3000" or "host:port". */
function normaliseAddress(address: string): string {
  if (/^\d+$/.test(address)) return `localhost:${address}`;
  return address.startsWith(':') ? `localhost${address}` : address;
}

/** Calls grpc.health.v1.Health/Check; resolves the status name, rejects on any call error. */
export function checkHealth(address: string, service = '', timeoutMs = 5000): Promise<string> {
  const client = new HealthClientConstructor(
    normaliseAddress(address),
    credentials.createInsecure(),
  );
  return new Promise<string>((resolve, reject) => {
    client.check(
      { service },
      new Metadata(),
      { deadline: Date.now() + timeoutMs },
      (error, res) => {
        client.close();
        if (error !== null) {
          reject(error);
          return;
        }
        const status = res?.status ?? 'UNKNOWN';
        resolve(typeof status === 'number' ? (STATUS_NAMES[status] ?? 'UNKNOWN') : status);
      },
    );
  });
}

const SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the server running on that port?)',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ETIMEDOUT: 'no answer',
  ECONNRESET: 'the connection was reset',
};

/**
 * One line about a failed check, for a person: the address, the status and the reason,
 * instead of grpc-js's "14 UNAVAILABLE: No connection established. Last error: ... Resolution note:".
 */
export function describeHealthError(address: string, error: unknown): string {
  if (!(error instanceof Error)) return `${address}: ${String(error)}`;
  const { code, details } = error as Partial<ServiceError>;
  if (typeof code !== 'number') return `${address}: ${error.message}`;
  const name = grpcStatus[code] ?? `status ${code}`;
  const socket = /\b(E[A-Z]{3,})\b/.exec(details ?? '')?.[1];
  const reason =
    socket !== undefined
      ? (SOCKET_ERRORS[socket] ?? socket)
      : (details ?? '').split(/\. |\n/)[0]?.trim() || 'no details';
  return `${address}: ${name}: ${reason}`;
}
