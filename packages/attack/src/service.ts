import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@twelvefa/test-support';
import { collectGarbage } from './forced-gc.js';

const bin = (name: string): string =>
  fileURLToPath(new URL(`../../server/bin/${name}.js`, import.meta.url));

/** The service's bins as npm links them: the suite attacks what ships. */
export const BIN = {
  api: bin('twelvefa'),
  worker: bin('twelvefa-worker'),
  dashboard: bin('twelvefa-dashboard'),
} as const;

/** Queue settings every process of one case shares, so cases never see each other's jobs. */
export function queueEnv(redisUrl: string, label: string): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: 'twelvefa-attack',
    QUEUE_NAME: `${label}-${process.pid}`,
  };
}

/** A running API on loopback: its process, gRPC port and metrics port. */
export interface Api {
  readonly process: ManagedProcess;
  readonly port: number;
  readonly metricsPort: number;
}

/**
 * Starts `twelvefa` with env and waits until it listens and its job runner is ready.
 * Its ports are picked by the process itself (0) and read from its log, so no other test can
 * take one between the choice and the bind.
 */
export async function startApi(env: Record<string, string> = {}): Promise<Api> {
  const api = ManagedProcess.node(BIN.api, {
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: '0',
    ...env,
  });
  const metrics = await api.waitForRecord((line) => line.msg === 'metrics listening', 20_000);
  const listening = await api.waitForRecord((line) => line.msg === 'listening', 20_000);
  // Embedded, the runner is ready once its compute threads are warm: figures measured before
  // would measure the warm-up. With REDIS_URL, once it reaches Redis.
  await api.waitForRecord((line) => line.msg === 'job runner' && line.ready === true, 20_000);
  return { process: api, port: Number(listening.port), metricsPort: Number(metrics.port) };
}

/** Starts `twelvefa-worker` with env and waits until it consumes. */
export async function startWorker(env: Record<string, string>): Promise<ManagedProcess> {
  const worker = ManagedProcess.node(BIN.worker, { WORKER_CONCURRENCY: '1', ...env });
  await worker.waitForRecord((line) => line.msg === 'worker ready', 20_000);
  return worker;
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}

/**
 * RSS in bytes once it has settled: after a full garbage collection when the process has an
 * inspector (forced-gc.ts), then sampled every 500 ms until two samples in a row are within
 * 1 MiB of each other (freed pages returned), or `withinMs` has passed.
 */
export async function settledRssBytes(
  pid: number,
  inspectorUrl?: string,
  withinMs = 10_000,
): Promise<number> {
  if (inspectorUrl !== undefined) await collectGarbage(inspectorUrl);
  const until = performance.now() + withinMs;
  let last = await rssBytes(pid);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await rssBytes(pid);
    if (Math.abs(now - last) < 1024 * 1024 || performance.now() > until) return now;
    last = now;
  }
}
