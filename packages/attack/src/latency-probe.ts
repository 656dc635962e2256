// The API's event loop seen from outside: an Add every few milliseconds on a connection of
// its own, timed. A call that holds the loop shows as the Adds waiting behind it.
import { RawGrpcClient } from '@twelvefa/test-support';
import { addCall } from './calls.js';

/** Latencies of the Adds sent while the probe ran, in ms, in the order sent. */
export interface ProbeReport {
  readonly latenciesMs: readonly number[];
  readonly failures: number;
}

/** Starts probing `address`; stop() ends it and resolves what it saw. */
export function startLatencyProbe(address: string, everyMs = 5): { stop(): Promise<ProbeReport> } {
  const client = new RawGrpcClient(address);
  const latenciesMs: number[] = [];
  let failures = 0;
  let running = true;
  const call = addCall(1, 1);
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const result = await client.send(call).catch(() => undefined);
      latenciesMs.push(performance.now() - started);
      if (result?.status !== 0) failures += 1;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      client.close();
      return { latenciesMs, failures };
    },
  };
}

/** The q-quantile (0-1) of some numbers. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
