import { dirname, resolve } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoDir } from '@twelvefa/proto';
import { protoPath as healthProtoPath } from 'grpc-health-check';

/** Server reflection for calc.Calc and grpc.health.v1.Health, so grpcurl and evans need no .proto. */
export function createReflection(): ReflectionService {
  const healthRoot = resolve(dirname(healthProtoPath), '../..');
  const definition = loadSync(['calc/calc.proto', 'health/v1/health.proto'], {
    includeDirs: [protoDir, healthRoot],
  });
  return new ReflectionService(definition, { services: ['calc.Calc', 'grpc.health.v1.Health'] });
}
