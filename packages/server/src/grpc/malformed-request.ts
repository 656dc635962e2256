import type { ServiceDefinition } from '@grpc/grpc-js';
import { InvalidArgumentError } from '@twelvefa/calc';

/**
 * A request body the decoder could not read. grpc-js answers INTERNAL to any exception a
 * deserializer throws, but a body the server cannot decode is the client's fault: the tolerant
 * deserializer hands this on instead, and the handler answers INVALID_ARGUMENT.
 */
export class MalformedRequest {
  constructor(
    /** The request message's type, as the contract names it. */
    readonly messageType: string,
    /** What the decoder found wrong, in its words. */
    readonly reason: string,
  ) {}

  /** The error the handler answers with. */
  toError(): InvalidArgumentError {
    return new InvalidArgumentError(`malformed ${this.messageType}: ${this.reason}`);
  }
}

/** Told about each malformed request: which method, and why. */
export type MalformedRequestListener = (method: string, request: MalformedRequest) => void;

const METHOD_NAME = /\/([^/]+)$/;

/**
 * The service definition with every request deserializer made total: what the decoder throws
 * becomes a MalformedRequest. `messageTypes` names each method's request type for the message.
 */
export function withTolerantDeserializers<S extends ServiceDefinition>(
  service: S,
  messageTypes: Readonly<Record<keyof S & string, string>>,
  onMalformed: MalformedRequestListener,
): S {
  const tolerant: Record<string, ServiceDefinition[string]> = {};
  for (const [key, method] of Object.entries(service)) {
    const messageType = messageTypes[key as keyof S & string];
    const methodName = METHOD_NAME.exec(method.path)?.[1] ?? method.path;
    tolerant[key] = {
      ...method,
      requestDeserialize: (bytes: Buffer): unknown => {
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          const malformed = new MalformedRequest(
            messageType,
            error instanceof Error ? error.message : String(error),
          );
          onMalformed(methodName, malformed);
          return malformed;
        }
      },
    };
  }
  return tolerant as unknown as S;
}
