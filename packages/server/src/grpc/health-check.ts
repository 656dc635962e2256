import {
  credentials,
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
