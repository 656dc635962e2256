import { prepareCall, type RawGrpcClient } from '@twelvefa/test-support';
import { healthRequest, SERVING_STATUS, servingStatusOf } from './health-watch.js';

/** grpc.health.v1.Health/Check of `service`: SERVING, NOT_SERVING..., or the gRPC status that failed it. */
export async function checkHealth(client: RawGrpcClient, service: string): Promise<string> {
  const result = await client.send(
    prepareCall('/grpc.health.v1.Health/Check', healthRequest(service)),
    { 'grpc-timeout': '1S' },
  );
  if (result.status !== 0 || result.message === undefined) return `status ${result.status}`;
  const code = servingStatusOf(result.message);
  return Object.entries(SERVING_STATUS).find(([, value]) => value === code)?.[0] ?? String(code);
}
