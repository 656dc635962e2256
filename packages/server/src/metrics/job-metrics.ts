import type { Job, Worker } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';
import { CANCELLED_JOB_REASON } from '../jobs/prime-job.js';

/** How a job attempt ended on a worker. */
export type JobOutcome = 'completed' | 'failed' | 'cancelled';

/**
 * Buckets in seconds: a chunk takes 0.01-1 s; a whole job, a target not split (one worker
 * thread: an n near 10^16 is about 30 s) or many small ones, up to minutes.
 */
const JOB_DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** A worker's job metrics: attempts by kind and outcome, and how long each took. */
export class JobMetrics {
  readonly jobs: Counter<'queue' | 'kind' | 'outcome'>;
  readonly duration: Histogram<'queue' | 'kind' | 'outcome'>;

  constructor(registry: Registry) {
    this.jobs = new Counter({
      name: 'twelvefa_jobs_total',
      help: 'Job attempts a worker finished, by queue, kind (whole, chunk, combine) and outcome (completed, failed, cancelled).',
      labelNames: ['queue', 'kind', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'twelvefa_job_duration_seconds',
      help: 'Time a worker spent on one job attempt, by queue, kind and outcome.',
      labelNames: ['queue', 'kind', 'outcome'],
      buckets: JOB_DURATION_BUCKETS,
      registers: [registry],
    });
  }

  /** Records one finished attempt. */
  jobFinished(queue: string, kind: string, outcome: JobOutcome, seconds: number): void {
    const labels = { queue, kind, outcome };
    this.jobs.inc(labels);
    this.duration.observe(labels, Math.max(0, seconds));
  }

  /** Counts every attempt `worker` finishes; returns a function that stops counting. */
  watch(worker: Worker): () => void {
    const record = (job: Job, outcome: JobOutcome): void => {
      const started = job.processedOn ?? Date.now();
      const finished = job.finishedOn ?? Date.now();
      this.jobFinished(worker.name, jobKind(job), outcome, (finished - started) / 1000);
    };
    const onCompleted = (job: Job): void => record(job, 'completed');
    const onFailed = (job: Job | undefined, error: Error): void => {
      if (job === undefined) return;
      record(job, error.message === CANCELLED_JOB_REASON ? 'cancelled' : 'failed');
    };
    worker.on('completed', onCompleted);
    worker.on('failed', onFailed);
    return () => {
      worker.off('completed', onCompleted);
      worker.off('failed', onFailed);
    };
  }
}

function jobKind(job: Job): string {
  const data: unknown = job.data;
  if (
    typeof data === 'object' &&
    data !== null &&
    'kind' in data &&
    typeof data.kind === 'string'
  ) {
    return data.kind;
  }
  return 'unknown';
}
