import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort, ManagedProcess } from '@twelvefa/test-support';

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

/** Starts `twelvefa` with env on free ports and waits until it listens (and, given REDIS_URL, reaches Redis). */
export async function startApi(env: Record<string, string> = {}): Promise<Api> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const api = ManagedProcess.node(BIN.api, {
    HOST: '127.0.0.1',
    PORT: String(port),
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: String(metricsPort),
    ...env,
  });
  await api.waitForRecord((line) => line.msg === 'listening', 20_000);
  if (env.REDIS_URL !== undefined) {
    await api.waitForRecord((line) => line.msg === 'job runner' && line.ready === true, 20_000);
  }
  return { process: api, port, metricsPort };
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
