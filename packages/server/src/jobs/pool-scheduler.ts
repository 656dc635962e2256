/** How urgently a task should run. */
export type TaskUrgency =
  /** Finishes an answer (the walk after the chunks): ahead of every chunk. */
  | 'finishing'
  /** A chunk or whole computation: first come, first served. */
  | 'working';

interface Queued {
  readonly start: () => Promise<unknown>;
  readonly priority: number;
  readonly signal: AbortSignal;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Hands tasks to `slots` threads in a fixed order: tasks that finish an answer first, then
 * the rest by priority (1 first) and, within one, in the order they came, so a request's
 * chunks run before a later request's and concurrent requests finish one after another rather
 * than all together at the end. Tasks wait here, not in the pool, which would run them in its
 * own order.
 */
export class PoolScheduler {
  private readonly finishing: Queued[] = [];
  private readonly working: Queued[] = [];
  /**
   * The queued tasks of each signal: one abort listener per signal however many parts wait on
   * it (a split n queues a dozen; a listener each would trip Node's leak warning).
   */
  private readonly bySignal = new Map<AbortSignal, Set<Queued>>();
  private running = 0;

  constructor(private readonly slots: number) {}

  /**
   * Runs `start` once a slot is free; a task aborted while it waits is dropped (rejecting with
   * the signal's reason), one aborted while it runs is stopped by whatever `start` gave the
   * signal to.
   */
  run<T>(
    start: () => Promise<T>,
    signal: AbortSignal,
    urgency: TaskUrgency,
    priority = 1,
  ): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const queue = urgency === 'finishing' ? this.finishing : this.working;
      const task: Queued = {
        start,
        priority,
        signal,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      this.track(task);
      // Behind every task of the same or a better priority: stable, so arrival order holds.
      const before = queue.findIndex((queued) => queued.priority > priority);
      if (before < 0) queue.push(task);
      else queue.splice(before, 0, task);
      this.dispatch();
    });
  }

  private track(task: Queued): void {
    const { signal } = task;
    let tasks = this.bySignal.get(signal);
    if (tasks === undefined) {
      const created = new Set<Queued>();
      this.bySignal.set(signal, created);
      signal.addEventListener('abort', () => this.drop(signal), { once: true });
      tasks = created;
    }
    tasks.add(task);
  }

  /** Rejects and removes every task of an aborted signal still waiting for a slot. */
  private drop(signal: AbortSignal): void {
    const tasks = this.bySignal.get(signal);
    this.bySignal.delete(signal);
    if (tasks === undefined) return;
    for (const queue of [this.finishing, this.working]) {
      for (let i = queue.length - 1; i >= 0; i--) {
        if (tasks.has(queue[i]!)) queue.splice(i, 1);
      }
    }
    for (const task of tasks) task.reject(signal.reason);
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.finishing.length + this.working.length;
  }

  private dispatch(): void {
    while (this.running < this.slots) {
      const task = this.finishing.shift() ?? this.working.shift();
      if (task === undefined) return;
      const waiting = this.bySignal.get(task.signal);
      waiting?.delete(task);
      // The signal's listener stays until it aborts or is dropped with the signal itself.
      if (waiting?.size === 0) this.bySignal.delete(task.signal);
      this.running += 1;
      task
        .start()
        .then(task.resolve, task.reject)
        .finally(() => {
          this.running -= 1;
          this.dispatch();
        });
    }
  }
}
