import { status } from '@grpc/grpc-js';
import { AddRequest, NthPrimesRequest, NthPrimesResponse } from '@twelvefa/proto';
import { type PreparedCall, prepareCall, type RawGrpcClient } from '@twelvefa/test-support';

/** An NthPrimes call for these n, encoded once. */
export function nthPrimesCall(...n: number[]): PreparedCall {
  return prepareCall(
    '/calc.Calc/NthPrimes',
    NthPrimesRequest.encode({ n: n.map((value) => BigInt(value)) }).finish(),
  );
}

/** An Add call. */
export function addCall(a: number, b: number): PreparedCall {
  return prepareCall('/calc.Calc/Add', AddRequest.encode({ a: BigInt(a), b: BigInt(b) }).finish());
}

/** How one call ended, and when, measured from its start. */
export interface Ended {
  readonly code: number;
  readonly details: string;
  readonly ms: number;
  /** The primes, on OK. */
  readonly primes: readonly bigint[];
}

/** Sends an NthPrimes call with a grpc-timeout header; never rejects (a stream error is -1). */
export async function timedNthPrimes(
  client: RawGrpcClient,
  call: PreparedCall,
  timeout: string,
): Promise<Ended> {
  const started = performance.now();
  try {
    const result = await client.send(call, { 'grpc-timeout': timeout });
    const primes =
      result.status === status.OK && result.message !== undefined
        ? NthPrimesResponse.decode(result.message).nthPrimes
        : [];
    return {
      code: result.status,
      details: result.details,
      ms: performance.now() - started,
      primes,
    };
  } catch (error) {
    return { code: -1, details: String(error), ms: performance.now() - started, primes: [] };
  }
}

/** Counts by status code name. */
export function tallyCodes(results: readonly Ended[]): Record<string, number> {
  const names = new Map(Object.entries(status).map(([name, code]) => [code, name]));
  const tally: Record<string, number> = {};
  for (const { code } of results) {
    const name = names.get(code) ?? String(code);
    tally[name] = (tally[name] ?? 0) + 1;
  }
  return tally;
}
