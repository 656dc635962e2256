import { ManagedProcess } from '@twelvefa/test-support';
import { pino } from 'pino';
import { BullmqJobRunner } from '../../src/jobs/bullmq-job-runner.js';
import { BIN } from './bins.js';

let queues = 0;

/** A queue name of its own for each test that needs one. */
export function freshQueueName(label: string): string {
  queues += 1;
  return `${label}-${process.pid}-${queues}`;
}

/** A silent logger for runners created in tests. */
export const quietLogger = pino({ level: 'silent' });

/** A BullMQ runner on `queueName`, waiting until Redis answers. */
export async function createBullmqRunner(
  redisUrl: string,
  queueName: string,
  overrides: Partial<ConstructorParameters<typeof BullmqJobRunner>[0]> = {},
): Promise<BullmqJobRunner> {
  const runner = new BullmqJobRunner(
    {
      redis: { url: redisUrl },
      queuePrefix: 'twelvefa-test',
      queueName,
      attempts: 2,
      backoffMs: 100,
      keepCompleted: 0,
      keepFailed: 100,
      parallelismFloor: 2,
      ...overrides,
    },
    quietLogger,
  );
  await runner.waitUntilReady();
  return runner;
}

/** Spawns a real `twelvefa-worker` from dist and waits until it consumes. */
export async function startWorker(
  redisUrl: string,
  queueName: string,
  env: Record<string, string> = {},
): Promise<ManagedProcess> {
  const worker = ManagedProcess.node(BIN.worker, {
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: 'twelvefa-test',
    QUEUE_NAME: queueName,
    WORKER_CONCURRENCY: '2',
    JOB_KEEP_COMPLETED: '0',
    ...env,
  });
  await worker.waitForRecord((line) => line.msg === 'worker ready');
  return worker;
}

/** Job ids a worker logged as started. */
export function startedJobIds(worker: ManagedProcess): string[] {
  return worker.records
    .filter((line) => line.msg === 'job started')
    .map((line) => String(line.jobId));
}
