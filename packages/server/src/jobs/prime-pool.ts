import { fileURLToPath } from 'node:url';
import type { NthPrimeChunk, NthPrimeChunkResult, NthPrimePlan } from '@twelvefa/calc';
import { Piscina } from 'piscina';
import type { PrimeTask, PrimeTaskResult } from './prime-task.js';

// Worker threads load plain JavaScript: under vitest this module runs from
// src/*.ts, so point at the build output, which the tests run after.
const taskUrl = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/jobs/prime-task.js', import.meta.url)
  : new URL('./prime-task.js', import.meta.url);

/** A pool of worker threads computing primes; aborting a task's signal terminates its thread. */
export class PrimePool {
  private readonly pool: Piscina<PrimeTask, PrimeTaskResult>;
  private closing: Promise<void> | undefined;
  private running = 0;

  constructor(readonly threads: number) {
    // Threads stay up: each keeps its compiled code and its tables for the last few x, which a
    // fresh thread would spend the first chunks rebuilding.
    this.pool = new Piscina({
      filename: fileURLToPath(taskUrl),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
  }

  /**
   * The nth prime of n in one task: from the thread's table when there is no plan (n within the
   * small table), otherwise the plan's chunks and the walk. Meant for plans of one chunk; a
   * longer plan is faster as chunk tasks spread over threads and a combine.
   */
  nthPrime(n: number, plan: NthPrimePlan | null, signal: AbortSignal): Promise<number> {
    return this.prime({ kind: 'whole', n, plan }, signal);
  }

  /** The nth prime from a plan's chunk results: the walk, off the caller's thread. */
  combine(
    plan: NthPrimePlan,
    results: readonly NthPrimeChunkResult[],
    signal: AbortSignal,
  ): Promise<number> {
    return this.prime({ kind: 'combine', plan, results }, signal);
  }

  /**
   * Warms every thread at once (one warm-up task each: idle threads take one task apiece);
   * resolves with the longest warm-up in milliseconds. Tasks sent meanwhile wait behind it.
   */
  async warmUp(): Promise<number> {
    const signal = new AbortController().signal;
    const took = await Promise.all(
      Array.from({ length: this.threads }, () => this.prime({ kind: 'warm-up' }, signal)),
    );
    return Math.max(...took);
  }

  /** One chunk of a plan. */
  async chunk(chunk: NthPrimeChunk, signal: AbortSignal): Promise<NthPrimeChunkResult> {
    const result = await this.track(this.pool.run({ kind: 'chunk', chunk }, { signal }));
    if (typeof result === 'number') throw new TypeError('chunk task returned a number');
    return result;
  }

  private async prime(task: PrimeTask, signal: AbortSignal): Promise<number> {
    const result = await this.track(this.pool.run(task, { signal }));
    if (typeof result !== 'number')
      throw new TypeError(`${task.kind} task returned a chunk result`);
    return result;
  }

  private async track<T>(task: Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await task;
    } finally {
      this.running -= 1;
    }
  }

  /** Tasks on a thread or waiting for one. */
  get pending(): number {
    return this.running;
  }

  /** Terminates every thread; running tasks are aborted. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.pool.destroy();
    return this.closing;
  }
}
