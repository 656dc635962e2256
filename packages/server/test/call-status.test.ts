import { status } from '@grpc/grpc-js';
import { InvalidArgumentError, OutOfRangeError, OverflowError } from '@twelvefa/calc';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  DeadlineExceededError,
  PermissionDeniedError,
  ResourceExhaustedError,
  UnauthenticatedError,
  UnavailableError,
} from '../src/errors.js';
import { grpcErrorOf, toGrpcStatus } from '../src/grpc/to-grpc-status.js';
import { callStatusOf, INTERNAL_MESSAGE } from '../src/request/call-status.js';

describe('callStatusOf, the one error mapper', () => {
  it.each([
    [new InvalidArgumentError('n = 0'), 'INVALID_ARGUMENT', 'n = 0'],
    [new OverflowError('add', [1n, 2n]), 'OUT_OF_RANGE', 'add(1, 2) overflows int64'],
    [new OutOfRangeError('too big'), 'OUT_OF_RANGE', 'too big'],
    [new ResourceExhaustedError('busy'), 'RESOURCE_EXHAUSTED', 'busy'],
    [new UnauthenticatedError('no key'), 'UNAUTHENTICATED', 'no key'],
    [new PermissionDeniedError('not Add'), 'PERMISSION_DENIED', 'not Add'],
    [new DeadlineExceededError(), 'DEADLINE_EXCEEDED', new DeadlineExceededError().message],
    [new CancelledError(), 'CANCELLED', new CancelledError().message],
    [new UnavailableError('Redis is unreachable'), 'UNAVAILABLE', 'Redis is unreachable'],
  ])('keeps the code and message of %s', (error, code, details) => {
    expect(callStatusOf(error)).toEqual({ code, details });
  });

  it('maps an abort to CANCELLED', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(callStatusOf(abort).code).toBe('CANCELLED');
  });

  it('hides anything else behind a generic INTERNAL', () => {
    expect(callStatusOf(new Error('secret internals at /srv/x.ts:12'))).toEqual({
      code: 'INTERNAL',
      details: INTERNAL_MESSAGE,
    });
  });

  it('says when a refused call may be retried', () => {
    expect(callStatusOf(new ResourceExhaustedError('over the limit', 1500))).toEqual({
      code: 'RESOURCE_EXHAUSTED',
      details: 'over the limit',
      retryAfterMs: 1500,
    });
  });
});

describe('the gRPC adapter', () => {
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });

  it("sends a status under grpc-js's number for its name", () => {
    expect(grpcErrorOf(new OutOfRangeError('too big'), logger)).toEqual({
      code: status.OUT_OF_RANGE,
      details: 'too big',
    });
    expect(toGrpcStatus({ code: 'UNAUTHENTICATED', details: 'x' }).code).toBe(
      status.UNAUTHENTICATED,
    );
  });

  it('sends when to retry as grpc-retry-pushback-ms', () => {
    const sent = toGrpcStatus({ code: 'RESOURCE_EXHAUSTED', details: 'x', retryAfterMs: 1499.2 });
    expect(sent.metadata?.get('grpc-retry-pushback-ms')).toEqual(['1500']);
  });

  it('logs an INTERNAL failure with its stack, never sending it', () => {
    const sent = grpcErrorOf(new Error('secret internals at /srv/x.ts:12'), logger);
    expect(sent).toEqual({ code: status.INTERNAL, details: INTERNAL_MESSAGE });
    expect(logged.join('')).toContain('secret internals');
    expect(logged.join('')).toContain('"stack"');
  });
});
