import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../src/address.js';
import { CommandError } from '../src/command.js';
import {
  ConnectError,
  ConnectionLostError,
  DeadlineExceededError,
  RequestCancelledError,
} from '../src/connection-errors.js';
import { describeFailure } from '../src/failure.js';
import { UsageError } from '../src/usage-error.js';

function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), {
    code,
    details,
    metadata: new Metadata(),
  });
}

describe('describeFailure', () => {
  it.each([
    [status.INVALID_ARGUMENT, 'n must be at least 1', 'INVALID_ARGUMENT: n must be at least 1', 67],
    [status.OUT_OF_RANGE, 'a + b overflows int64', 'OUT_OF_RANGE: a + b overflows int64', 75],
    [
      status.RESOURCE_EXHAUSTED,
      'batch of 20000 exceeds 10000',
      'RESOURCE_EXHAUSTED: batch of 20000 exceeds 10000',
      72,
    ],
    [status.DEADLINE_EXCEEDED, 'Deadline exceeded', 'DEADLINE_EXCEEDED: Deadline exceeded', 68],
    [status.UNAVAILABLE, 'server is shutting down', 'UNAVAILABLE: server is shutting down', 78],
  ])(
    'reports gRPC status %i by name and message, exit code 64 + code',
    (code, details, message, exitCode) => {
      expect(describeFailure(serviceError(code, details))).toMatchObject({ message, exitCode });
    },
  );

  it('keeps a multi-line server message on one line, without a stack trace', () => {
    const failure = describeFailure(serviceError(status.INTERNAL, 'boom\n  at somewhere'));
    expect(failure.message).toBe('INTERNAL: boom at somewhere');
  });

  it('names an unknown status code by number', () => {
    expect(describeFailure(serviceError(99 as status, 'odd')).message).toBe('status 99: odd');
  });

  it('reports a request the user cancelled as CANCELLED', () => {
    expect(describeFailure(new RequestCancelledError())).toEqual({
      code: 'CANCELLED',
      message: 'CANCELLED: request cancelled',
      exitCode: 65,
      connectionLost: false,
    });
  });

  it('reports a lost connection in one line with its reason, without grpc-js internals', () => {
    const lost = new ConnectionLostError(
      parseAddress(':3000'),
      serviceError(
        status.UNAVAILABLE,
        'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:3000. Resolution note: ',
      ),
      'connection refused (is the server running on that port?)',
    );
    expect(describeFailure(lost)).toEqual({
      code: 'UNAVAILABLE',
      message:
        'UNAVAILABLE: lost the connection to :3000: connection refused (is the server running on that port?)',
      exitCode: 78,
      connectionLost: true,
    });
  });

  it("says which deadline a call ran past, and adds grpc-js's timings only when verbose", () => {
    const grpcJs =
      'Deadline exceeded after 1.001s,name resolution: 0.001s,LB pick: 0.001s,remote_addr=127.0.0.1:3000';
    const late = new DeadlineExceededError(1000, serviceError(status.DEADLINE_EXCEEDED, grpcJs));
    expect(describeFailure(late)).toEqual({
      code: 'DEADLINE_EXCEEDED',
      message: 'DEADLINE_EXCEEDED: deadline of 1s exceeded',
      exitCode: 68,
      connectionLost: false,
    });
    expect(describeFailure(late, true).message).toBe(
      `DEADLINE_EXCEEDED: deadline of 1s exceeded (grpc-js: ${grpcJs})`,
    );
  });

  it("adds grpc-js's text to a lost connection only when verbose", () => {
    const lost = new ConnectionLostError(
      parseAddress(':3000'),
      serviceError(status.UNAVAILABLE, 'No connection established. Last error: ECONNREFUSED'),
      'connection refused',
    );
    expect(describeFailure(lost, true).message).toBe(
      'UNAVAILABLE: lost the connection to :3000: connection refused (grpc-js: No connection established. Last error: ECONNREFUSED)',
    );
  });

  it('gives usage and command errors exit code 2', () => {
    expect(describeFailure(new UsageError('bad flag'))).toMatchObject({
      code: 'USAGE',
      message: 'bad flag',
      exitCode: 2,
    });
    expect(describeFailure(new CommandError('add takes 2 integers'))).toMatchObject({
      code: 'USAGE',
      message: 'add takes 2 integers',
      exitCode: 2,
    });
  });

  it('gives connection and unexpected errors exit code 1', () => {
    expect(describeFailure(new ConnectError('cannot connect to :1 within 5s'))).toMatchObject({
      code: 'CONNECT',
      message: 'cannot connect to :1 within 5s',
      exitCode: 1,
    });
    expect(describeFailure(new TypeError('x is undefined'))).toMatchObject({
      code: 'UNKNOWN',
      message: 'unexpected error: x is undefined',
      exitCode: 1,
    });
  });
});
