import {
  type ChunkJobData,
  type CombineJobData,
  type NthPrimeJobData,
  nthPrimeJobId,
  parseNthPrimeJobData,
  type WholeJobData,
} from '../jobs/nth-prime-job.js';

/** The fields of a job, as bull-board sends it to its page, that a summary is made of. */
export interface BoardJob {
  readonly data?: unknown;
  readonly returnValue?: unknown;
  /** Milliseconds since the epoch. */
  readonly processedOn?: number | null;
  readonly finishedOn?: number | null;
  readonly failedReason?: string | null;
}

/** An nth-prime job in an operator's words, all strings, in the order they read it. */
export interface JobSummary {
  readonly n: string;
  /** "whole", "part 3 of 12" or "combine of 12 parts". */
  readonly job: string;
  /** What it computes, in the formula's terms. */
  readonly range: string;
  /** The planner's estimate, seconds on one core. */
  readonly estimated: string;
  /** Seconds from start to finish, how long it has run so far, or "not started". */
  readonly actual: string;
  /** The prime when done, where to find it for a chunk, or why it failed. */
  readonly answer: string;
}

/** The summary of an nth-prime job; undefined for data of any other shape. */
export function summarizeJob(job: BoardJob, now = Date.now()): JobSummary | undefined {
  let data: NthPrimeJobData;
  try {
    data = parseNthPrimeJobData(job.data);
  } catch {
    return undefined;
  }
  const described = describe(data);
  return {
    n: data.n,
    job: described.job,
    range: described.range,
    estimated: seconds(described.seconds),
    actual: actual(job, now),
    answer: answer(job, data),
  };
}

/**
 * The job with its data as `{ summary, raw }`: the summary first on its page, the data as the
 * worker reads it below. A job of another shape comes back as it was.
 */
export function withSummary<T extends BoardJob>(job: T, now = Date.now()): T {
  const summary = summarizeJob(job, now);
  return summary === undefined ? job : { ...job, data: { summary, raw: job.data } };
}

interface Described {
  readonly job: string;
  readonly range: string;
  readonly seconds: number;
}

function describe(data: NthPrimeJobData): Described {
  switch (data.kind) {
    case 'chunk':
      return describeChunk(data);
    case 'combine':
      return describeCombine(data);
    case 'whole':
      return describeWhole(data);
  }
}

function describeChunk(data: ChunkJobData): Described {
  return {
    job: `part ${data.part} of ${data.parts}`,
    range: data.label,
    seconds: data.chunk.seconds,
  };
}

function describeCombine(data: CombineJobData): Described {
  const { plan } = data;
  const x = plan.params?.x ?? plan.estimate;
  // The plan's estimate covers its chunks and the walk; the combine step is the walk.
  const chunks = plan.chunks.reduce((sum, chunk) => sum + chunk.seconds, 0);
  return {
    job: `combine of ${data.parts} parts`,
    range: `pi(${x}) from parts 1 to ${data.parts}, then the walk from ${x} to p(${data.n})`,
    seconds: Math.max(0, plan.seconds - chunks),
  };
}

function describeWhole(data: WholeJobData): Described {
  const { plan } = data;
  if (plan === null || plan.params === null) {
    return { job: 'whole', range: `p(${data.n}) from the small table`, seconds: 0 };
  }
  const { x } = plan.params;
  return {
    job: 'whole',
    range: `pi(${x}), then the walk from ${x} to p(${data.n})`,
    seconds: plan.seconds,
  };
}

function actual(job: BoardJob, now: number): string {
  const started = job.processedOn ?? undefined;
  if (started === undefined) return 'not started';
  const finished = job.finishedOn ?? undefined;
  if (finished === undefined) return `running for ${seconds((now - started) / 1000)}`;
  return seconds((finished - started) / 1000);
}

function answer(job: BoardJob, data: NthPrimeJobData): string {
  // An attempt's failure stays recorded after a retry succeeds: the result decides first.
  const result = job.returnValue as { prime?: unknown } | null | undefined;
  if (data.kind === 'chunk' && result != null) {
    return `partial sums, combined by ${nthPrimeJobId(Number(data.n))}`;
  }
  if (data.kind !== 'chunk' && typeof result?.prime === 'string') return result.prime;
  if (job.failedReason) {
    return job.finishedOn == null
      ? `not yet (an attempt failed: ${job.failedReason})`
      : `failed: ${job.failedReason}`;
  }
  return 'not yet';
}

function seconds(value: number): string {
  return `${value.toFixed(value < 10 ? 2 : 1)} s`;
}
