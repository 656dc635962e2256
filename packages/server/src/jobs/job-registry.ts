import { ResourceExhaustedError } from '../errors.js';
import { RANK_SECONDS } from './batch-plan.js';
import type { JobRunner, PrimeJob } from './job-runner.js';
import { type PrimeTarget, targetId } from './prime-target.js';
import type { ProgressListener } from './progress-feed.js';
import { ResultCache } from './result-cache.js';
import { estimatedSeconds } from './work-estimate.js';

/** A request's hold on the computation of one target; release it when no longer needed. */
export interface JobLease {
  readonly target: PrimeTarget;
  /**
   * The target's answer. A request waits for all its leases under one abort listener, not one
   * per target: a batch of 20 n would trip Node's listener-leak warning.
   */
  readonly result: Promise<bigint>;
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

/** A client's computations in flight: how many, and their estimated seconds of work. */
interface ClientLoad {
  count: number;
  seconds: number;
}

/**
 * Shares heavy computations between requests: the same target in flight is computed
 * once, finished results are cached with a bound, and no more than
 * MAX_IN_FLIGHT distinct computations run at once, half of them at most for one client.
 *
 * It also shares the workers fairly between clients, by the work they have queued: a batch
 * is queued behind the estimated work its client already has in flight (priority 1 + that
 * work in RANK_SECONDS), and each task of it behind the batch's work before it, so clients
 * take turns chunk by chunk in proportion to their work, whatever their request rates, and a
 * lone client still gets every worker.
 */
export class JobRegistry {
  /** Computations in flight, by their target's id. */
  private readonly shared = new Map<string, SharedJob>();
  private readonly cache: ResultCache;
  private counters = { started: 0, cacheHits: 0, joined: 0 };
  /** Computations in flight by the client that started them. */
  private readonly inFlightBy = new Map<string, ClientLoad>();
  private cancelling = 0;
  /** Told when a computation settles or is given up: room may have come free. */
  private readonly roomWatchers = new Set<() => void>();

  constructor(
    readonly runner: JobRunner,
    private readonly options: JobRegistryOptions,
  ) {
    this.cache = new ResultCache(options.cacheSize);
  }

  /** The distinct computations one client may hold at once: half of MAX_IN_FLIGHT, at least 1. */
  get clientShare(): number {
    return Math.max(1, Math.ceil(this.options.maxInFlight / 2));
  }

  /**
   * How many more computations `client` may start now, within MAX_IN_FLIGHT and its share;
   * throws ResourceExhaustedError, saying which limit and the figures, when none.
   */
  room(client: string): number {
    const max = this.options.maxInFlight;
    const held = this.shared.size + this.cancelling;
    const mine = this.inFlightBy.get(client)?.count ?? 0;
    if (held >= max) {
      throw new ResourceExhaustedError(
        `too much work in flight: all ${max} heavy computations MAX_IN_FLIGHT allows are held (${this.cancelling} of them being cancelled); retry later`,
      );
    }
    if (mine >= this.clientShare) {
      throw new ResourceExhaustedError(
        `too much work in flight for "${client}": it holds ${mine} heavy computations, the most one client may (half of MAX_IN_FLIGHT ${max}); retry later`,
      );
    }
    return Math.min(max - held, this.clientShare - mine);
  }

  /** Whether acquiring target would start a computation (it is neither cached nor in flight). */
  needsRoom(target: PrimeTarget): boolean {
    const id = targetId(target);
    return !this.shared.has(id) && this.cache.get(id) === undefined;
  }

  /** Resolves the next time a computation settles or is given up; rejects when signal aborts. */
  roomFreed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        this.roomWatchers.delete(done);
        signal.removeEventListener('abort', aborted);
        resolve();
      };
      const aborted = (): void => {
        this.roomWatchers.delete(done);
        reject(signal.reason);
      };
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      this.roomWatchers.add(done);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  private roomMayBeFree(): void {
    for (const watcher of [...this.roomWatchers]) watcher();
  }

  /**
   * Holds the computation of each target (distinct), in order: a cached one is answered at once,
   * one in flight is joined, and the rest start together as one batch, planned as a whole and
   * queued by `client`'s share (see the class). Throws ResourceExhaustedError, holding nothing,
   * when they would exceed MAX_IN_FLIGHT.
   */
  acquire(targets: readonly PrimeTarget[], client = ''): JobLease[] {
    const fresh = targets.filter((target) => this.needsRoom(target));
    // Work given up counts until it is gone, or cancelling calls in a loop would pile it up.
    const held = this.shared.size + this.cancelling;
    const max = this.options.maxInFlight;
    if (fresh.length > 0 && held + fresh.length > max) {
      throw new ResourceExhaustedError(
        `too much work in flight: ${held} of the ${max} heavy computations MAX_IN_FLIGHT allows are held, and this needs ${fresh.length} more; retry later`,
      );
    }
    const ahead = this.inFlightBy.get(client)?.seconds ?? 0;
    const priority = 1 + Math.floor(ahead / RANK_SECONDS);
    const jobs = fresh.length > 0 ? this.runner.start(fresh, { priority, client }) : [];
    for (const [i, target] of fresh.entries()) this.begin(target, jobs[i]!, client);
    const started = new Set(fresh);
    return targets.map((target) => {
      const entry = this.shared.get(targetId(target));
      if (entry !== undefined) {
        if (!started.has(target)) this.counters.joined += 1;
        return this.lease(target, entry);
      }
      // Not in flight, so cached: every fresh target is in flight now.
      const answer = this.cache.get(targetId(target)) as bigint;
      this.counters.cacheHits += 1;
      return {
        target,
        result: Promise.resolve(answer),
        watch: () => () => undefined,
        release: () => undefined,
      };
    });
  }

  private begin(target: PrimeTarget, job: PrimeJob, client: string): void {
    const id = targetId(target);
    const entry: SharedJob = { job, holders: 0 };
    this.shared.set(id, entry);
    this.counters.started += 1;
    // It counts against its client's place in the queue and share until it settles.
    const seconds = estimatedSeconds(target);
    const load = this.inFlightBy.get(client) ?? { count: 0, seconds: 0 };
    load.count += 1;
    load.seconds += seconds;
    this.inFlightBy.set(client, load);
    const settle = (): void => {
      this.forget(id, entry);
      load.count -= 1;
      load.seconds -= seconds;
      if (load.count === 0 && this.inFlightBy.get(client) === load) this.inFlightBy.delete(client);
      this.roomMayBeFree();
    };
    job.result.then((answer) => {
      this.cache.set(id, answer);
      settle();
    }, settle);
  }

  private forget(id: string, entry: SharedJob): void {
    if (this.shared.get(id) === entry) this.shared.delete(id);
  }

  private lease(target: PrimeTarget, entry: SharedJob): JobLease {
    const id = targetId(target);
    entry.holders += 1;
    let released = false;
    return {
      target,
      result: entry.job.result,
      watch: (listener) => entry.job.watch(listener),
      release: () => {
        if (released) return;
        released = true;
        entry.holders -= 1;
        if (entry.holders === 0 && this.shared.get(id) === entry) {
          this.shared.delete(id);
          this.cancelling += 1;
          void entry.job.cancel().finally(() => {
            this.cancelling -= 1;
            this.roomMayBeFree();
          });
        }
      },
    };
  }

  stats(): JobRegistryStats {
    return { ...this.counters, inFlight: this.shared.size, cancelling: this.cancelling };
  }
}
