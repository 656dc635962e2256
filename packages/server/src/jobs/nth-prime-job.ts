// The shape of nth-prime jobs on the queue, shared by the API (which adds them) and the
// workers (which run them). Data and return values are JSON that a dashboard shows as is, so
// 64-bit quantities travel as decimal strings.
import type { NthPrimeChunk, NthPrimeChunkResult, NthPrimePlan } from '@twelvefa/calc';

/** A whole computation in one job: the small table (no plan), or a plan with a single chunk. */
export interface WholeJobData {
  readonly kind: 'whole';
  readonly n: string;
  readonly plan: NthPrimePlan | null;
}

/** The parent of a flow: runs after its chunk children and walks from their results to the answer. */
export interface CombineJobData {
  readonly kind: 'combine';
  readonly n: string;
  /** Chunks of the plan. */
  readonly parts: number;
  readonly plan: NthPrimePlan;
}

/** A child of a flow: one chunk of the plan, `part` of `parts` (1-based, for people). */
export interface ChunkJobData {
  readonly kind: 'chunk';
  readonly n: string;
  readonly part: number;
  readonly parts: number;
  /** What the chunk computes, in the formula's terms. */
  readonly label: string;
  readonly chunk: NthPrimeChunk;
}

export type NthPrimeJobData = WholeJobData | CombineJobData | ChunkJobData;

/** Return value of whole and combine jobs: n and its prime first, as the dashboard lists them. */
export interface NthPrimeJobResult {
  readonly n: string;
  readonly prime: string;
}

/** Return value of chunk jobs: the calc core's chunk result. */
export type ChunkJobResult = NthPrimeChunkResult;

/** A flow parent's progress, updated as its chunks finish. */
export interface FlowProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * The job id of the computation of n. Deterministic, so the same n asked by
 * any API replica at the same time is one job (BullMQ ignores a second add).
 */
export function nthPrimeJobId(n: number): string {
  return `nth-prime-${n}`;
}

/**
 * The job id of one chunk: n, its place in the plan and a fingerprint of what it computes, so
 * that a chunk kept from an earlier plan of the same n (another parallelism, another release)
 * is reused only when it computes exactly the same thing.
 */
export function chunkJobId(chunk: NthPrimeChunk): string {
  return `nth-prime-${chunk.n}-part-${chunk.index + 1}-of-${chunk.count}-${fingerprint(chunk)}`;
}

/** The chunk job ids of a plan (none for a plan of one chunk, which runs as one job). */
export function chunkJobIds(plan: NthPrimePlan | null): readonly string[] {
  return plan === null || plan.chunks.length <= 1 ? [] : plan.chunks.map(chunkJobId);
}

/** FNV-1a over the chunk's parameters and parts: eight hex digits. */
function fingerprint(chunk: NthPrimeChunk): string {
  const text = JSON.stringify([chunk.params, chunk.parts]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Job name of a whole or combine job, as the dashboard lists it. */
export function nthPrimeJobName(n: number, parts: number): string {
  return parts > 1 ? `n=${n}, ${parts} parts` : `n=${n}`;
}

/** Job name of a chunk job: "n=1000000000000, part 3 of 9". */
export function chunkJobName(chunk: NthPrimeChunk): string {
  return `n=${chunk.n}, part ${chunk.index + 1} of ${chunk.count}`;
}

/** Reason a worker fails a job with when the API cancelled it. */
export const CANCELLED_JOB_REASON = 'cancelled: no request wants this result any more';

/** Channel the API publishes job ids on when nobody wants them any more; workers abort them. */
export function cancelChannel(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:cancel`;
}

/**
 * The name a worker gives BullMQ (and so its Redis connection): its own name and how many jobs
 * it runs at once, which the API reads back to plan for the workers that exist.
 */
export function workerConnectionName(name: string, concurrency: number): string {
  return `${name}~c${concurrency}`;
}

/** The concurrency in a worker's connection name (BullMQ's rawname); 1 when it carries none. */
export function concurrencyOf(connectionName: string): number {
  const match = /~c(\d+)$/.exec(connectionName);
  return match === null ? 1 : Math.max(1, Number(match[1]));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads a whole/combine job's return value; throws TypeError on any other shape. */
export function parseNthPrimeJobResult(value: unknown): number {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!isObject(parsed) || typeof parsed.prime !== 'string' || !/^\d+$/.test(parsed.prime)) {
    throw new TypeError(`unexpected nth-prime job result ${JSON.stringify(parsed)}`);
  }
  const prime = Number(parsed.prime);
  if (!Number.isSafeInteger(prime)) throw new TypeError(`prime ${parsed.prime} is not exact`);
  return prime;
}

/** Reads job data written by the API; throws TypeError on any other shape. */
export function parseNthPrimeJobData(value: unknown): NthPrimeJobData {
  if (!isObject(value) || typeof value.n !== 'string' || !/^\d+$/.test(value.n)) {
    throw new TypeError(`unexpected nth-prime job data ${JSON.stringify(value)}`);
  }
  if (value.kind === 'whole' || value.kind === 'combine' || value.kind === 'chunk') {
    return value as unknown as NthPrimeJobData;
  }
  throw new TypeError(`unexpected nth-prime job kind ${JSON.stringify(value.kind)}`);
}
