import { ResourceExhaustedError } from '../errors.js';
import type { JobRunner, PrimeJob } from './job-runner.js';
import type { ProgressListener } from './progress-feed.js';
import { ResultCache } from './result-cache.js';

/** A request's hold on the computation of one n; release it when no longer needed. */
export interface JobLease {
  readonly n: number;
  /**
   * The nth prime. A request waits for all its leases under one abort listener (`abortable`
   * over them together), not one per n: a batch of 20 n would trip Node's listener-leak warning.
   */
  readonly result: Promise<number>;
  /** Tells listener the computation's progress (none for a cached answer); returns the stop. */
  watch(listener: ProgressListener): () => void;
  /** Drops this hold; the last one out cancels the job. Safe to call twice. */
  release(): void;
}

/** Options of the registry. */
export interface JobRegistryOptions {
  /** Distinct computations allowed at once (MAX_IN_FLIGHT). */
  readonly maxInFlight: number;
  /** Finished results kept (RESULT_CACHE_SIZE). */
  readonly cacheSize: number;
}

interface SharedJob {
  readonly job: PrimeJob;
  holders: number;
}

/** Counters for tests, logs and metrics. */
export interface JobRegistryStats {
  /** Computations handed to the runner since start. */
  readonly started: number;
  /** Leases answered from the cache. */
  readonly cacheHits: number;
  /** Leases that joined a computation already in flight. */
  readonly joined: number;
  /** Computations in flight now. */
  readonly inFlight: number;
  /** Computations given up whose work is still being removed; they count against MAX_IN_FLIGHT. */
  readonly cancelling: number;
}

/**
 * Shares heavy computations between requests: the same n in flight is computed
 * once, finished results are cached with a bound, and no more than
 * MAX_IN_FLIGHT distinct computations run at once.
 *
 * It also shares the workers fairly between clients: a batch is queued behind every
 * computation its client already has in flight (priority 1 + that count), so a client
 * with one call waiting goes ahead of the tenth call of a client sending ten at once,
 * whatever their request rates, and a lone client still gets every worker.
 */
export class JobRegistry {
  private readonly shared = new Map<number, SharedJob>();
  private readonly cache: ResultCache;
  private counters = { started: 0, cacheHits: 0, joined: 0 };
  /** Computations in flight by the client that started them. */
  private readonly inFlightBy = new Map<string, number>();
  private cancelling = 0;

  constructor(
    readonly runner: JobRunner,
    private readonly options: JobRegistryOptions,
  ) {
    this.cache = new ResultCache(options.cacheSize);
  }

  /**
   * Holds the computation of each n (distinct), in order: a cached n is answered at once, one in
   * flight is joined, and the rest start together as one batch, planned as a whole and queued
   * by `client`'s share (see the class). Throws ResourceExhaustedError, holding nothing, when
   * they would exceed MAX_IN_FLIGHT.
   */
  acquire(ns: readonly number[], client = ''): JobLease[] {
    const fresh = ns.filter((n) => !this.shared.has(n) && this.cache.get(n) === undefined);
    // Work given up counts until it is gone, or cancelling calls in a loop would pile it up.
    const held = this.shared.size + this.cancelling;
    if (fresh.length > 0 && held + fresh.length > this.options.maxInFlight) {
      throw new ResourceExhaustedError(
        `too much work in flight (${held} heavy computations); retry later`,
      );
    }
    const priority = 1 + (this.inFlightBy.get(client) ?? 0);
    const jobs = fresh.length > 0 ? this.runner.start(fresh, { priority }) : [];
    for (const [i, n] of fresh.entries()) this.begin(n, jobs[i]!, client);
    const started = new Set(fresh);
    return ns.map((n) => {
      const entry = this.shared.get(n);
      if (entry !== undefined) {
        if (!started.has(n)) this.counters.joined += 1;
        return this.lease(n, entry);
      }
      // Not in flight, so cached: every fresh n is in flight now.
      const prime = this.cache.get(n) as number;
      this.counters.cacheHits += 1;
      return {
        n,
        result: Promise.resolve(prime),
        watch: () => () => undefined,
        release: () => undefined,
      };
    });
  }

  private begin(n: number, job: PrimeJob, client: string): void {
    const entry: SharedJob = { job, holders: 0 };
    this.shared.set(n, entry);
    this.counters.started += 1;
    // It counts against its client's place in the queue until it settles.
    this.inFlightBy.set(client, (this.inFlightBy.get(client) ?? 0) + 1);
    const settle = (): void => {
      this.forget(n, entry);
      const left = (this.inFlightBy.get(client) ?? 1) - 1;
      if (left === 0) this.inFlightBy.delete(client);
      else this.inFlightBy.set(client, left);
    };
    job.result.then((prime) => {
      this.cache.set(n, prime);
      settle();
    }, settle);
  }

  private forget(n: number, entry: SharedJob): void {
    if (this.shared.get(n) === entry) this.shared.delete(n);
  }

  private lease(n: number, entry: SharedJob): JobLease {
    entry.holders += 1;
    let released = false;
    return {
      n,
      result: entry.job.result,
      watch: (listener) => entry.job.watch(listener),
      release: () => {
        if (released) return;
        released = true;
        entry.holders -= 1;
        if (entry.holders === 0 && this.shared.get(n) === entry) {
          this.shared.delete(n);
          this.cancelling += 1;
          void entry.job.cancel().finally(() => {
            this.cancelling -= 1;
          });
        }
      },
    };
  }

  stats(): JobRegistryStats {
    return { ...this.counters, inFlight: this.shared.size, cancelling: this.cancelling };
  }
}
