import { fileURLToPath } from 'node:url';
import type { NthPrimeChunk, NthPrimeChunkResult } from '@twelvefa/calc';
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

  constructor(threads: number) {
    this.pool = new Piscina({
      filename: fileURLToPath(taskUrl),
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 30_000,
    });
  }

  /** The nth prime, computed in a worker thread. */
  async nthPrime(n: number, signal: AbortSignal): Promise<number> {
    const result = await this.track(this.pool.run({ kind: 'nth-prime', n }, { signal }));
    if (typeof result !== 'number') throw new TypeError('nth-prime task returned a chunk result');
    return result;
  }

  /** One chunk of a planned nth-prime computation, in a worker thread. */
  async chunk(chunk: NthPrimeChunk, signal: AbortSignal): Promise<NthPrimeChunkResult> {
    const result = await this.track(this.pool.run({ kind: 'chunk', chunk }, { signal }));
    if (typeof result === 'number') throw new TypeError('chunk task returned a number');
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

  /** Tasks queued or running. */
  get pending(): number {
    return this.running;
  }

  /** Tasks queued, not yet on a thread. */
  get queued(): number {
    return this.pool.queueSize;
  }

  /** Terminates every thread; running tasks are aborted. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.pool.destroy();
    return this.closing;
  }
}
