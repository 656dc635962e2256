import { status } from '@grpc/grpc-js';
import { InvalidArgumentError, OutOfRangeError, OverflowError } from '@twelvefa/calc';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  DeadlineExceededError,
  ResourceExhaustedError,
  UnavailableError,
} from '../src/errors.js';
import { INTERNAL_MESSAGE, toGrpcStatus } from '../src/grpc/to-grpc-status.js';

describe('toGrpcStatus', () => {
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });

  it.each([
    [new InvalidArgumentError('n = 0'), status.INVALID_ARGUMENT, 'n = 0'],
    [new OverflowError('add', [1n, 2n]), status.OUT_OF_RANGE, 'add(1, 2) overflows int64'],
    [new OutOfRangeError('too big'), status.OUT_OF_RANGE, 'too big'],
    [new ResourceExhaustedError('busy'), status.RESOURCE_EXHAUSTED, 'busy'],
    [new DeadlineExceededError(), status.DEADLINE_EXCEEDED, new DeadlineExceededError().message],
    [new CancelledError(), status.CANCELLED, new CancelledError().message],
    [new UnavailableError('Redis is unreachable'), status.UNAVAILABLE, 'Redis is unreachable'],
  ])('keeps the code and message of %s', (error, code, details) => {
    expect(toGrpcStatus(error, logger)).toEqual({ code, details });
  });

  it('maps an abort to CANCELLED', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(toGrpcStatus(abort, logger).code).toBe(status.CANCELLED);
  });

  it('hides anything else behind a generic INTERNAL and logs its stack', () => {
    const result = toGrpcStatus(new Error('secret internals at /srv/x.ts:12'), logger);
    expect(result).toEqual({ code: status.INTERNAL, details: INTERNAL_MESSAGE });
    expect(logged.join('')).toContain('secret internals');
    expect(logged.join('')).toContain('"stack"');
  });
});
