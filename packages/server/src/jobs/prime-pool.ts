import { fileURLToPath } from 'node:url';
import type { PrimeCountChunk, PrimeCountChunkResult, TargetPlan } from '@twelvefa/calc';
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
   * A target's answer in one task: the plan's own answer (the small table), or its chunks and
   * the combine. Meant for plans of one chunk; a longer plan is faster as chunk tasks spread
   * over threads and a combine.
   */
  whole(plan: TargetPlan, signal: AbortSignal): Promise<bigint> {
    return this.answer({ kind: 'whole', plan }, signal);
  }

  /** A target's answer from its plan's chunk results: the combine, off the caller's thread. */
  combine(
    plan: TargetPlan,
    results: readonly PrimeCountChunkResult[],
    signal: AbortSignal,
  ): Promise<bigint> {
    return this.answer({ kind: 'combine', plan, results }, signal);
  }

  /**
   * Warms every thread at once (one warm-up task each: idle threads take one task apiece);
   * resolves with the longest warm-up in milliseconds. Tasks sent meanwhile wait behind it.
   */
  async warmUp(): Promise<number> {
    const signal = new AbortController().signal;
    const took = await Promise.all(
      Array.from({ length: this.threads }, async () => {
        const ms = await this.track(this.pool.run({ kind: 'warm-up' }, { signal }));
        if (typeof ms !== 'number') throw new TypeError('warm-up task returned no milliseconds');
        return ms;
      }),
    );
    return Math.max(...took);
  }

  /** One chunk of a plan. */
  async chunk(chunk: PrimeCountChunk, signal: AbortSignal): Promise<PrimeCountChunkResult> {
    const result = await this.track(this.pool.run({ kind: 'chunk', chunk }, { signal }));
    if (typeof result !== 'object') throw new TypeError('chunk task returned no chunk result');
    return result;
  }

  private async answer(task: PrimeTask, signal: AbortSignal): Promise<bigint> {
    const result = await this.track(this.pool.run(task, { signal }));
    if (typeof result !== 'bigint') throw new TypeError(`${task.kind} task returned no answer`);
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
