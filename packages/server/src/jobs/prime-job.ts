// The shape of prime jobs on the queue, shared by the API (which adds them) and the workers
// (which run them): each computes one target, the nth prime or pi(x). Data and return values
// are JSON that a dashboard shows as is, so 64-bit quantities travel as decimal strings.
import type { PrimeCountChunk, PrimeCountChunkResult, TargetPlan } from '@twelvefa/calc';
import {
  type PrimeTarget,
  parseTargetData,
  type TargetData,
  targetId,
  targetName,
} from './prime-target.js';

/** A whole computation in one job: a plan of one chunk, or one answered in the plan itself. */
export interface WholeJobData {
  readonly kind: 'whole';
  readonly target: TargetData;
  readonly plan: TargetPlan;
}

/** The parent of a flow: runs after its chunk children and combines their results to the answer. */
export interface CombineJobData {
  readonly kind: 'combine';
  readonly target: TargetData;
  /** Chunks of the plan. */
  readonly parts: number;
  readonly plan: TargetPlan;
}

/** A child of a flow: one chunk of the plan, `part` of `parts` (1-based, for people). */
export interface ChunkJobData {
  readonly kind: 'chunk';
  readonly target: TargetData;
  readonly part: number;
  readonly parts: number;
  /** What the chunk computes, in the formula's terms. */
  readonly label: string;
  readonly chunk: PrimeCountChunk;
}

export type PrimeJobData = WholeJobData | CombineJobData | ChunkJobData;

/** Return value of whole and combine jobs: the target and its answer, as the dashboard lists them. */
export interface PrimeJobResult {
  /** "n=1000" or "x=1000". */
  readonly target: string;
  readonly answer: string;
}

/** Return value of chunk jobs: the calc core's chunk result. */
export type ChunkJobResult = PrimeCountChunkResult;

/** A flow parent's progress, updated as its chunks finish. */
export interface FlowProgress {
  readonly done: number;
  readonly total: number;
}

/** What a whole or combine job returns for `target`. */
export function primeJobResult(target: PrimeTarget, answer: bigint): PrimeJobResult {
  return { target: targetName(target), answer: String(answer) };
}

/**
 * The job id of one chunk: its target, its place in the plan and a fingerprint of what it
 * computes, so that a chunk kept from an earlier plan of the same target (another parallelism,
 * another release) is reused only when it computes exactly the same thing.
 */
export function chunkJobId(target: PrimeTarget, chunk: PrimeCountChunk): string {
  return `${targetId(target)}-part-${chunk.index + 1}-of-${chunk.count}-${fingerprint(chunk)}`;
}

/** The chunk job ids of a plan (none for a plan of one chunk, which runs as one job). */
export function chunkJobIds(target: PrimeTarget, plan: TargetPlan): readonly string[] {
  return plan.chunks.length <= 1 ? [] : plan.chunks.map((chunk) => chunkJobId(target, chunk));
}

/** FNV-1a over the chunk's parameters and parts: eight hex digits. */
function fingerprint(chunk: PrimeCountChunk): string {
  const text = JSON.stringify([chunk.params, chunk.parts]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Job name of a whole or combine job, as the dashboard lists it: "n=1000000, 12 parts". */
export function targetJobName(target: PrimeTarget, parts: number): string {
  return parts > 1 ? `${targetName(target)}, ${parts} parts` : targetName(target);
}

/** Job name of a chunk job: "n=1000000000000, part 3 of 9". */
export function chunkJobName(target: PrimeTarget, chunk: PrimeCountChunk): string {
  return `${targetName(target)}, part ${chunk.index + 1} of ${chunk.count}`;
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

const DECIMAL = /^\d+$/;

/** Reads a whole/combine job's return value, the answer; throws TypeError on any other shape. */
export function parsePrimeJobResult(value: unknown): bigint {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!isObject(parsed) || typeof parsed.answer !== 'string' || !DECIMAL.test(parsed.answer)) {
    throw new TypeError(`unexpected prime job result ${JSON.stringify(parsed)}`);
  }
  return BigInt(parsed.answer);
}

/**
 * Reads job data written by the API: its kind, its target and, by kind, its plan or chunk as
 * objects with the fields the processor uses (the plan's and chunk's own insides are the calc
 * core's to check). Throws TypeError on any other shape.
 */
export function parsePrimeJobData(value: unknown): PrimeJobData {
  if (!isObject(value)) throw new TypeError(`unexpected prime job data ${JSON.stringify(value)}`);
  parseTargetData(value.target);
  const hasPlan = isObject(value.plan) && Array.isArray(value.plan.chunks);
  switch (value.kind) {
    case 'whole':
      if (hasPlan) return value as unknown as WholeJobData;
      break;
    case 'combine':
      if (hasPlan && Number.isInteger(value.parts)) return value as unknown as CombineJobData;
      break;
    case 'chunk':
      if (isObject(value.chunk) && Number.isInteger(value.chunk.index)) {
        return value as unknown as ChunkJobData;
      }
      break;
    default:
      throw new TypeError(`unexpected prime job kind ${JSON.stringify(value.kind)}`);
  }
  throw new TypeError(`prime job data of kind ${String(value.kind)} without its plan or chunk`);
}
