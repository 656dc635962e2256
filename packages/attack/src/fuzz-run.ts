import { status } from '@grpc/grpc-js';
import { prepareCall, RawGrpcClient } from '@twelvefa/test-support';
import { type FuzzLimits, nextCase, seeded } from './fuzz-cases.js';

/** How a fuzz run is sent. */
export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  readonly limits: FuzzLimits;
  /** Calls in flight at once, spread over `sessions` HTTP/2 connections. */
  readonly concurrency: number;
  readonly sessions: number;
}

/** What came back. */
export interface FuzzReport {
  readonly sent: number;
  /** Calls that ended with a grpc-status. */
  readonly answered: number;
  /** Answers by status name. */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Requests by generator. */
  readonly byKind: Readonly<Record<string, number>>;
  /** OK answers whose value was compared with the oracle (fuzz-cases.ts). */
  readonly checked: number;
  /** Answers that broke the contract: the first few, described. */
  readonly wrong: readonly string[];
  readonly wrongCount: number;
  readonly seconds: number;
}

const STATUS_NAMES = new Map(Object.entries(status).map(([name, code]) => [code, name]));

const count = (tally: Record<string, number>, key: string): void => {
  tally[key] = (tally[key] ?? 0) + 1;
};

/** Sends `count` fuzzed requests to address and tallies every answer against the contract. */
export async function fuzz(address: string, options: FuzzOptions): Promise<FuzzReport> {
  const random = seeded(options.seed);
  const clients = Array.from({ length: options.sessions }, () => new RawGrpcClient(address));
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  const wrong: string[] = [];
  let [sent, answered, checked, wrongCount] = [0, 0, 0, 0];
  const report = (text: string): void => {
    wrongCount += 1;
    if (wrong.length < 20) wrong.push(text);
  };
  const started = performance.now();
  const lane = async (index: number): Promise<void> => {
    const client = clients[index % clients.length] as RawGrpcClient;
    while (sent < options.count) {
      sent += 1;
      const call = nextCase(random, options.limits);
      count(byKind, call.kind);
      const hex = Buffer.from(call.body).toString('hex');
      let result: Awaited<ReturnType<RawGrpcClient['send']>>;
      try {
        result = await client.send(prepareCall(call.path, call.body), { 'grpc-timeout': '10S' });
      } catch (error) {
        report(`${call.kind} ${call.path} ${hex}: no answer (${String(error)})`);
        continue;
      }
      if (result.status < 0) {
        report(`${call.kind} ${call.path} ${hex}: no grpc-status`);
        continue;
      }
      answered += 1;
      count(byStatus, STATUS_NAMES.get(result.status) ?? String(result.status));
      const { expected } = call;
      if (result.status !== expected.code) {
        report(
          `${call.kind} ${call.path} ${hex}: ${STATUS_NAMES.get(result.status)} "${result.details}", want ${STATUS_NAMES.get(expected.code)}`,
        );
      } else if (expected.code === status.OK) {
        checked += 1;
        const problem =
          result.message === undefined ? 'no message' : expected.check(result.message);
        if (problem !== undefined) report(`${call.kind} ${call.path} ${hex}: ${problem}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, (_, i) => lane(i)));
  } finally {
    for (const client of clients) client.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return { sent, answered, byStatus, byKind, checked, wrong, wrongCount, seconds };
}

/** The report as lines a person reads. */
export function formatFuzzReport(report: FuzzReport, seed: number): string {
  const entries = (tally: Readonly<Record<string, number>>): string =>
    Object.entries(tally)
      .sort(([, a], [, b]) => b - a)
      .map(([key, value]) => `${key} ${value}`)
      .join(', ');
  return [
    `fuzz: ${report.sent} requests (seed ${seed}) in ${report.seconds.toFixed(1)} s, ${(report.sent / report.seconds).toFixed(0)}/s`,
    `  answered ${report.answered}; by status: ${entries(report.byStatus)}`,
    `  by kind: ${entries(report.byKind)}`,
    `  OK answers checked against the oracle: ${report.checked}; contract broken: ${report.wrongCount}`,
    ...report.wrong.map((line) => `    ${line}`),
  ].join('\n');
}
