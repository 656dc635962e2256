import { status } from '@grpc/grpc-js';
import {
  type PreparedCall,
  prepareCall,
  type RawCallResult,
  RawGrpcClient,
} from '@twelvefa/test-support';
import { addCall, nthPrimesCall } from './calls.js';
import { rssBytes } from './service.js';

/** How long to soak, and how hard. */
export interface SoakOptions {
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly concurrency: number;
}

/** What the soak saw. */
export interface SoakReport {
  readonly calls: number;
  readonly failures: number;
  /** Calls sent again because their connection went away before the server took them. */
  readonly resent: number;
  readonly callsPerSecond: number;
  /** RSS once warmed up, and at the end, in MiB. */
  readonly rssWarmMiB: number;
  readonly rssEndMiB: number;
  readonly growth: number;
}

// A mix of what a busy service sees: cheap calls, small and cached heavy n, and garbage.
const MIX: readonly PreparedCall[] = [
  addCall(2, 5),
  prepareCall('/calc.Calc/Max', new Uint8Array([0x08, 0x02, 0x10, 0x05])),
  nthPrimesCall(1, 2, 3, 10_000),
  ...Array.from({ length: 20 }, (_, i) => nthPrimesCall(5_000_000 + i)),
  prepareCall('/calc.Calc/Add', new Uint8Array([0x08, 0x80])),
];

const MiB = 1024 * 1024;

/** Keeps `concurrency` calls in flight against address for warm-up plus duration; samples the server's RSS. */
export async function soak(
  address: string,
  pid: number,
  options: SoakOptions,
): Promise<SoakReport> {
  // Replaced when the server recycles the connection (GRPC_MAX_CONNECTION_AGE_MS, 5 min by
  // default): a call on a connection that has gone away fails at once, without yielding.
  let client = new RawGrpcClient(address);
  const open = (): RawGrpcClient => {
    if (client.draining) {
      const old = client;
      client = new RawGrpcClient(address);
      // Its calls in flight finish first; close() waits for them.
      old.close();
    }
    return client;
  };
  // A call whose connection went away under it (sent after the server's GOAWAY, before the
  // client read it) was never processed: sent again on the new connection, as gRPC clients
  // retry such calls transparently. Counted apart.
  let resent = 0;
  const sendOnce = async (call: PreparedCall): Promise<RawCallResult | undefined> => {
    const on = open();
    try {
      return await on.send(call);
    } catch {
      if (!on.draining) return undefined;
      resent += 1;
      return open()
        .send(call)
        .catch(() => undefined);
    }
  };
  let calls = 0;
  let failures = 0;
  let running = true;
  const lane = async (offset: number): Promise<void> => {
    for (let i = offset; running; i++) {
      const call = MIX[i % MIX.length] as PreparedCall;
      const result = await sendOnce(call);
      calls += 1;
      const expected = call === MIX[MIX.length - 1] ? status.INVALID_ARGUMENT : status.OK;
      if (result?.status !== expected) failures += 1;
    }
  };
  const lanes = Array.from({ length: options.concurrency }, (_, i) => lane(i * 7));
  try {
    await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
    const rssWarm = await rssBytes(pid);
    const callsAtWarm = calls;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, options.durationMs));
    const rssEnd = await rssBytes(pid);
    const seconds = (performance.now() - started) / 1000;
    running = false;
    await Promise.all(lanes);
    return {
      calls,
      failures,
      resent,
      callsPerSecond: (calls - callsAtWarm) / seconds,
      rssWarmMiB: rssWarm / MiB,
      rssEndMiB: rssEnd / MiB,
      growth: rssEnd / rssWarm - 1,
    };
  } finally {
    running = false;
    await Promise.allSettled(lanes);
    client.close();
  }
}

/** The report in one line. */
export function formatSoakReport(report: SoakReport, seconds: number): string {
  return (
    `soak ${seconds} s: ${report.calls} calls (${report.callsPerSecond.toFixed(0)}/s), ${report.failures} failed, ${report.resent} sent again on a new connection; ` +
    `RSS ${report.rssWarmMiB.toFixed(1)} MiB warm -> ${report.rssEndMiB.toFixed(1)} MiB (${(report.growth * 100).toFixed(1)}%)`
  );
}
