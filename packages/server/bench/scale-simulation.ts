// A discrete-event simulation of W workers pulling a batch plan's jobs from one queue, as the
// BullMQ transport runs them: the real planner's chunks (batch-plan.ts, with the parallelism
// the API would plan for), each taking its estimated seconds times a measured scale, plus a
// per-job cost on the worker and Redis round trips; a split n's combine job goes ahead of every
// chunk once its last chunk is done; every job's Redis commands queue at one Redis.
import { type BatchPlan, type PlannedWork, planBatch } from '../src/jobs/batch-plan.js';

/** What the simulated deployment is made of. */
export interface ModelParameters {
  readonly workers: number;
  /** The least parallelism the API plans for (QUEUE_PARALLELISM). */
  readonly parallelismFloor: number;
  /** Seconds a worker spends on one job beyond its computation (fetch, bookkeeping, finish). */
  readonly jobOverheadSeconds: number;
  /** One Redis round trip. */
  readonly redisRttSeconds: number;
  /** Round trips on a job's path that a worker waits for (fetch, the parent check, the finish). */
  readonly roundTripsPerJob: number;
  /** Redis commands one job costs (adds, moves, events, progress), and what Redis serves a second. */
  readonly redisOpsPerJob: number;
  readonly redisOpsPerSecond: number;
  /** Measured seconds per estimated second of n's computation (this machine's speed). */
  readonly secondsScale: (n: number) => number;
  /** From the answer's job finishing to the caller hearing it (the event stream, the reply). */
  readonly answerSeconds: number;
  /** From a call's arrival to its jobs in Redis: the API's checks, planning and the add. */
  readonly callSeconds: number;
  /**
   * How far a task's real seconds stray from its estimate, as a share (0.15: uniformly within
   * 15% either way), drawn from `seed`: the estimates are not exact, and the tail shows it.
   */
  readonly taskSpread: number;
  readonly seed: number;
  /**
   * Measured seconds of the combine step per estimated second of the walk: the estimate counts
   * building the walk's sieving primes, which warm threads have already built.
   */
  readonly combineScale: number;
}

/** One call of the simulated stream: when it arrives and what it asks. */
export interface SimulatedCall {
  readonly at: number;
  readonly ns: readonly number[];
}

/** What one simulation run found. */
export interface SimulationResult {
  /** Seconds from arrival to answer, per call in arrival order. */
  readonly latencies: readonly number[];
  /** When the last answer arrived. */
  readonly end: number;
  readonly jobs: number;
  /** Seconds workers spent computing, and on the per-job cost. */
  readonly computeSeconds: number;
  readonly overheadSeconds: number;
  /** Seconds of the combine steps (on the critical path of a single call). */
  readonly combineSeconds: number;
  /** Share of the run's time Redis was busy. */
  readonly redisUtilisation: number;
  /** The largest and the total chunk (or whole) seconds of the plans. */
  readonly largestTaskSeconds: number;
}

interface QueuedJob {
  readonly call: number;
  readonly seconds: number;
  /** Combine jobs (0) go first; then by call, then in plan order. */
  readonly rank: number;
  readonly seq: number;
  /** When it can be taken: its call's arrival, or for a combine its last chunk's end. */
  readonly availableAt: number;
  readonly onDone: (at: number) => void;
}

function before(a: QueuedJob, b: QueuedJob): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.call !== b.call) return a.call < b.call;
  return a.seq < b.seq;
}

/** The n of a simulated call's work (the model simulates nth primes). */
function nOf(work: PlannedWork): number {
  return work.target.kind === 'nth-prime' ? Number(work.target.n) : 0;
}

/** Plans every call as the API would for `workers` workers (the capacity rule: at least the floor). */
export async function planCalls(
  calls: readonly SimulatedCall[],
  parameters: Pick<ModelParameters, 'workers' | 'parallelismFloor'>,
): Promise<BatchPlan[]> {
  const parallelism = Math.max(parameters.workers, parameters.parallelismFloor);
  const plans: BatchPlan[] = [];
  for (const call of calls) {
    const targets = call.ns.map((n) => ({ kind: 'nth-prime', n: BigInt(n) }) as const);
    plans.push(await planBatch(targets, { parallelism, priority: 1 }));
  }
  return plans;
}

/**
 * Runs the calls through W simulated workers; `plans` are planCalls' plans of the same calls.
 * Redis is one server all jobs share: a first pass finds its utilisation rho, the second adds
 * each job's Redis time with an M/D/1 queue's mean wait (rho / (2 (1 - rho)) service times).
 */
export function simulate(
  calls: readonly SimulatedCall[],
  plans: readonly BatchPlan[],
  p: ModelParameters,
): SimulationResult {
  const redisTime = p.redisOpsPerJob / p.redisOpsPerSecond;
  const first = run(calls, plans, p, redisTime);
  const rho = Math.min(0.99, first.redisUtilisation);
  return run(calls, plans, p, redisTime * (1 + rho / (2 * (1 - rho))));
}

function run(
  calls: readonly SimulatedCall[],
  plans: readonly BatchPlan[],
  p: ModelParameters,
  redisSecondsPerJob: number,
): SimulationResult {
  const queue: QueuedJob[] = [];
  let seq = 0;
  // A small linear congruential generator: the same seed, the same run.
  let state = (p.seed * 2654435761) >>> 0 || 1;
  const stray = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return 1 + p.taskSpread * (2 * (state / 2 ** 32) - 1);
  };
  const freeAt = Array.from({ length: p.workers }, () => 0);
  const totals = { jobs: 0, compute: 0, overhead: 0, combine: 0, redisBusy: 0, largest: 0 };
  const latencies = calls.map(() => Number.NaN);
  const arrivals = calls.map((_, index) => index).sort((a, b) => calls[a]!.at - calls[b]!.at);

  const release = (index: number): void => {
    const call = calls[index]!;
    const plan = plans[index]!;
    // Jobs are settled as they are handed out, not in time order: keep the latest end.
    let answersLeft = plan.works.length;
    let lastAnswer = 0;
    const answered = (at: number): void => {
      answersLeft -= 1;
      lastAnswer = Math.max(lastAnswer, at);
      if (answersLeft === 0) latencies[index] = lastAnswer + p.answerSeconds - call.at;
    };
    const chunksLeft = new Map(plan.works.map((work) => [work, work.chunks.length]));
    const lastChunk = new Map(plan.works.map((work) => [work, 0]));
    for (const task of plan.tasks) {
      const scale = p.secondsScale(nOf(task.work)) * stray();
      totals.largest = Math.max(totals.largest, task.seconds * scale);
      const chunkDone = (at: number): void => {
        const left = chunksLeft.get(task.work)! - 1;
        const latest = Math.max(lastChunk.get(task.work)!, at);
        chunksLeft.set(task.work, left);
        lastChunk.set(task.work, latest);
        if (left > 0) return;
        // The walk from the chunks' results to the answer: the plan's seconds beyond its chunks.
        const chunks = task.work.chunks.reduce((sum, chunk) => sum + chunk.seconds, 0);
        const seconds =
          (task.work.seconds - chunks) * p.secondsScale(nOf(task.work)) * p.combineScale;
        totals.combine += seconds;
        queue.push({
          call: index,
          seconds,
          rank: 0,
          seq: seq++,
          availableAt: latest,
          onDone: answered,
        });
      };
      queue.push({
        call: index,
        seconds: task.seconds * scale,
        rank: 1,
        seq: seq++,
        availableAt: call.at + p.callSeconds,
        onDone: task.kind === 'whole' ? answered : chunkDone,
      });
    }
  };

  let end = 0;
  for (;;) {
    // The worker free soonest takes the best job available by then.
    let worker = 0;
    for (let w = 1; w < freeAt.length; w++) if (freeAt[w]! < freeAt[worker]!) worker = w;
    const now = freeAt[worker]!;
    while (arrivals.length > 0 && calls[arrivals[0]!]!.at <= now) release(arrivals.shift()!);
    let best = -1;
    for (let i = 0; i < queue.length; i++) {
      if (queue[i]!.availableAt <= now && (best < 0 || before(queue[i]!, queue[best]!))) best = i;
    }
    if (best < 0) {
      const times = queue.map((job) => job.availableAt);
      if (arrivals.length > 0) times.push(calls[arrivals[0]!]!.at);
      if (times.length === 0) break;
      freeAt[worker] = Math.min(...times);
      continue;
    }
    const [job] = queue.splice(best, 1);
    if (job === undefined) break;
    const cost = p.jobOverheadSeconds + p.roundTripsPerJob * p.redisRttSeconds;
    totals.jobs += 1;
    totals.compute += job.seconds;
    totals.overhead += cost;
    // Its Redis commands: served, and waited for, before the job counts as done.
    const finished = now + cost + job.seconds + redisSecondsPerJob;
    totals.redisBusy += p.redisOpsPerJob / p.redisOpsPerSecond;
    freeAt[worker] = finished;
    job.onDone(finished);
    end = Math.max(end, finished + p.answerSeconds);
  }
  return {
    latencies,
    end,
    jobs: totals.jobs,
    computeSeconds: totals.compute,
    overheadSeconds: totals.overhead,
    combineSeconds: totals.combine,
    redisUtilisation: end > 0 ? totals.redisBusy / end : 0,
    largestTaskSeconds: totals.largest,
  };
}
