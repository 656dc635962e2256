// The shape of nth-prime jobs on the queue. Data and return values are JSON
// that a dashboard shows as is, so 64-bit quantities travel as decimal strings.
import type { NthPrimeChunk, NthPrimeChunkResult, NthPrimePlan } from '@twelvefa/calc';

/** A whole computation in one job: the small table, or a plan with a single chunk. */
export interface WholeJobData {
  readonly kind: 'whole';
  readonly n: string;
  readonly plan: NthPrimePlan | null;
}

/** The parent of a flow: runs after its chunk children and combines their results. */
export interface CombineJobData {
  readonly kind: 'combine';
  readonly n: string;
  readonly plan: NthPrimePlan;
}

/** A child of a flow: one chunk of the plan. */
export interface ChunkJobData {
  readonly kind: 'chunk';
  readonly n: string;
  readonly chunk: NthPrimeChunk;
}

export type NthPrimeJobData = WholeJobData | CombineJobData | ChunkJobData;

/** Return value of whole and combine jobs. */
export interface NthPrimeJobResult {
  readonly n: string;
  readonly prime: string;
}

/** Return value of chunk jobs: the calc core's chunk result, opaque here. */
export type ChunkJobResult = NthPrimeChunkResult;

/**
 * The job id of the computation of n. Deterministic, so the same n asked by
 * any API replica at the same time is one job (BullMQ ignores a second add).
 */
export function nthPrimeJobId(n: number): string {
  return `nth-prime-${n}`;
}

/**
 * The job id of one chunk of the computation of n: deterministic too, so two
 * replicas adding the same flow at once still get each chunk once.
 */
export function chunkJobId(n: number, index: number): string {
  return `nth-prime-${n}-chunk-${index}`;
}

/** Job name of a whole or combine job, as the dashboard lists it. */
export function nthPrimeJobName(n: number, chunks: number): string {
  return chunks > 1 ? `nth-prime n=${n} (combine ${chunks} chunks)` : `nth-prime n=${n}`;
}

/** Job name of a chunk job. */
export function chunkJobName(n: number, chunk: NthPrimeChunk, chunks: number): string {
  return `nth-prime n=${n} chunk ${chunk.index + 1}/${chunks}: ${chunk.label}`;
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
