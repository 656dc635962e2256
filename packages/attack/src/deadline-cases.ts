import { status } from '@grpc/grpc-js';

/** grpc-timeout values and the status a heavy call sent with each must end with. */
export const DEADLINE_CASES: readonly (readonly [timeout: string, code: number, what: string])[] = [
  // Above 2^31 ms: what grpc-go and others send for deadlines of 25 days and more.
  ['2147484S', status.OK, '24.9 days in seconds'],
  ['597H', status.OK, '24.9 days in hours'],
  ['720H', status.OK, '30 days'],
  ['8760H', status.OK, 'a year'],
  ['99999999H', status.OK, 'the largest the header allows'],
  ['1m', status.DEADLINE_EXCEEDED, '1 ms'],
  ['1u', status.DEADLINE_EXCEEDED, '1 µs'],
  ['0n', status.DEADLINE_EXCEEDED, 'already past'],
  ['abc', status.INVALID_ARGUMENT, 'not a timeout'],
];
