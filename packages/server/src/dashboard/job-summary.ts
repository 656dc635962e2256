import {
  type ChunkJobData,
  type CombineJobData,
  type PrimeJobData,
  parsePrimeJobData,
  type WholeJobData,
} from '../jobs/prime-job.js';
import { type PrimeTarget, parseTargetData, targetId, targetName } from '../jobs/prime-target.js';

/** The fields of a job, as bull-board sends it to its page, that a summary is made of. */
export interface BoardJob {
  readonly data?: unknown;
  readonly returnValue?: unknown;
  /** Milliseconds since the epoch. */
  readonly processedOn?: number | null;
  readonly finishedOn?: number | null;
  readonly failedReason?: string | null;
}

/** A prime job in an operator's words, all strings, in the order they read it. */
export interface JobSummary {
  /** What is computed: "n=1000000" (its nth prime) or "x=1000000" (pi(x)). */
  readonly target: string;
  /** "whole", "part 3 of 12" or "combine of 12 parts". */
  readonly job: string;
  /** What it computes, in the formula's terms. */
  readonly range: string;
  /** The planner's estimate, seconds on one core. */
  readonly estimated: string;
  /** Seconds from start to finish, how long it has run so far, or "not started". */
  readonly actual: string;
  /** The answer when done, where to find it for a chunk, or why it failed. */
  readonly answer: string;
}

/** The summary of a prime job; undefined for data of any other shape. */
export function summarizeJob(job: BoardJob, now = Date.now()): JobSummary | undefined {
  let data: PrimeJobData;
  let target: PrimeTarget;
  try {
    data = parsePrimeJobData(job.data);
    target = parseTargetData(data.target);
  } catch {
    return undefined;
  }
  const described = describe(data, target);
  return {
    target: targetName(target),
    job: described.job,
    range: described.range,
    estimated: seconds(described.seconds),
    actual: actual(job, now),
    answer: answer(job, data, target),
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

function describe(data: PrimeJobData, target: PrimeTarget): Described {
  switch (data.kind) {
    case 'chunk':
      return describeChunk(data);
    case 'combine':
      return describeCombine(data, target);
    case 'whole':
      return describeWhole(data, target);
  }
}

/** What the combine adds after pi(x) is known: for the nth prime, the walk to it. */
function afterCount(target: PrimeTarget, x: string): string {
  return target.kind === 'nth-prime' ? `, then the walk from ${x} to p(${target.n})` : '';
}

function describeChunk(data: ChunkJobData): Described {
  return {
    job: `part ${data.part} of ${data.parts}`,
    range: data.label,
    seconds: data.chunk.seconds,
  };
}

function describeCombine(data: CombineJobData, target: PrimeTarget): Described {
  const { plan } = data;
  const x = String(plan.params?.x ?? '');
  // The plan's estimate covers its chunks and the combine; what is left is the combine's.
  const chunks = plan.chunks.reduce((sum, chunk) => sum + chunk.seconds, 0);
  return {
    job: `combine of ${data.parts} parts`,
    range: `pi(${x}) from parts 1 to ${data.parts}${afterCount(target, x)}`,
    seconds: Math.max(0, plan.seconds - chunks),
  };
}

function describeWhole(data: WholeJobData, target: PrimeTarget): Described {
  const { plan } = data;
  if (plan.params === null) {
    const of = target.kind === 'nth-prime' ? `p(${target.n})` : `pi(${target.x})`;
    return { job: 'whole', range: `${of} from the small table`, seconds: 0 };
  }
  const x = String(plan.params.x);
  return { job: 'whole', range: `pi(${x})${afterCount(target, x)}`, seconds: plan.seconds };
}

function actual(job: BoardJob, now: number): string {
  const started = job.processedOn ?? undefined;
  if (started === undefined) return 'not started';
  const finished = job.finishedOn ?? undefined;
  if (finished === undefined) return `running for ${seconds((now - started) / 1000)}`;
  return seconds((finished - started) / 1000);
}

function answer(job: BoardJob, data: PrimeJobData, target: PrimeTarget): string {
  // An attempt's failure stays recorded after a retry succeeds: the result decides first.
  const result = job.returnValue as { answer?: unknown } | null | undefined;
  if (data.kind === 'chunk' && result != null) {
    return `partial sums, combined by ${targetId(target)}`;
  }
  if (data.kind !== 'chunk' && typeof result?.answer === 'string') return result.answer;
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
