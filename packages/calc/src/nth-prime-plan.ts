import { InvalidArgumentError } from './errors.js';
import { toNumber, validateIndex } from './nth-prime-input.js';
import { lineWork, oncePartsSeconds, walkSeconds, workSeconds } from './prime/prime-count-cost.js';
import {
  approximateParams,
  type PrimeCountParams,
  primeCountParams,
} from './prime/prime-count-params.js';
import {
  combineParts,
  computePart,
  lineOf,
  type PrimeCountPart,
  type PrimeCountPartResult,
  type RangedPartKind,
} from './prime/prime-count-parts.js';
import { nthPrimeNearExact } from './prime/prime-walk.js';
import { inverseRiemannR } from './prime/riemann-r.js';
import { SMALL_TABLE_MAX_N, smallPrimeTable } from './small-prime-table.js';

/**
 * How to find the nth prime: pi(x) at the estimate x = R^-1(n) as independent chunks, then a
 * short walk from x to the answer. Plain data throughout, safe to JSON-encode: n, the answer
 * and x can pass 2^53 (n = 10^16, p(n) = 3.9 * 10^17), so they are decimal strings.
 */
export interface NthPrimePlan {
  readonly n: string;
  /** Set when the answer needs no chunks (n within the small table); `chunks` is then empty. */
  readonly answer: string | null;
  /** Where pi is computed: R^-1(n), within a few sqrt(n) of the answer. */
  readonly estimate: string;
  readonly params: PrimeCountParams | null;
  readonly chunks: readonly NthPrimeChunk[];
  /** Estimated seconds on one core: every chunk, and the combining walk. */
  readonly seconds: number;
}

/** One unit of work: plain data, safe to JSON-encode and run alone on any machine. */
export interface NthPrimeChunk {
  readonly n: string;
  /** Position in plan.chunks, of `count`; results are matched back by it. */
  readonly index: number;
  readonly count: number;
  /** What the chunk computes, in the formula's terms (job data, logs). */
  readonly label: string;
  readonly params: PrimeCountParams;
  readonly parts: readonly PrimeCountPart[];
  /** Estimated seconds on one core. */
  readonly seconds: number;
}

/** What computeChunk returns: plain data, safe to JSON-encode. */
export interface NthPrimeChunkResult {
  readonly index: number;
  readonly results: readonly PrimeCountPartResult[];
}

/** What the planner is planning for. */
export interface NthPrimePlanOptions {
  /**
   * Chunks that can run at once (threads of a pool, workers times their concurrency). With 1,
   * the default, nothing is split: each n is one chunk, as cheap as the direct computation.
   */
  readonly parallelism?: number;
  /** Cuts every n into exactly this many chunks instead (tests and benchmarks of the cutting). */
  readonly chunks?: number;
  /**
   * Estimated seconds of the whole batch, when `ns` is one slice of a larger batch planned in
   * slices (sum estimateNthPrimeSeconds over the batch); chunks are sized by it.
   */
  readonly batchSeconds?: number;
}

/**
 * Chunks average at least this many seconds (the smallest is at least 0.6 of this) while up to
 * four share the work, so a job queue's per-job cost (about 2 ms, `npm run bench:breakdown`)
 * stays near 2%. Halved when the WebAssembly kernels halved the work, so that a 10^13 call still
 * splits four ways for two workers...
 */
export const MIN_CHUNK_SECONDS = 0.1;
/**
 * ... and the floor falls as more share it, down to this: with 16 workers a 10^13 call (about
 * 0.5 s) would otherwise have 8 chunks for 16 workers (`npm run bench:scale-model`).
 */
const MIN_CHUNK_SECONDS_MANY = 0.025;
/** ... and the largest at most this many, so that work spreads and shutdowns are short. */
export const MAX_CHUNK_SECONDS = 1;
/** Each worker gets about this many chunks of a batch, so that the last ones leave little idle time. */
const CHUNKS_PER_WORKER = 6;
/** How much larger than the mean the first chunk is, and smaller the last (see cutChunks). */
const SKEW = 0.5;
/** Cells per line for the cost estimate; cubic spacing puts most where the leaves are dense. */
const CELLS = 64;

/** The lines in the order chunks are cut from them. */
const LINES: readonly RangedPartKind[] = ['easy-leaves', 'large-primes', 'hard-leaves'];
const ONCE_PARTS: readonly PrimeCountPart[] = [
  { kind: 'sigma' },
  { kind: 'ordinary-leaves' },
  { kind: 'composed-easy-leaves' },
];

/** Plans the nth prime (n a bigint, a safe-integer number or a decimal string); throws like validateIndex. */
export function planNthPrime(
  n: bigint | number | string,
  options: NthPrimePlanOptions = {},
): NthPrimePlan {
  const [plan] = planNthPrimes([n], options);
  if (plan === undefined) throw new InvalidArgumentError('no plan');
  return plan;
}

/**
 * Plans a batch of n together: with parallelism above 1 every chunk is cut to about the same
 * size, a 1/(6 parallelism) share of the whole batch's work (within minChunkSeconds and
 * MAX_CHUNK_SECONDS),
 * so many n fill the workers with whole n, one heavy n is spread over all of them, and a mix
 * does both. Every n is validated first; throws like validateIndex.
 */
export function planNthPrimes(
  ns: readonly (bigint | number | string)[],
  options: NthPrimePlanOptions = {},
): NthPrimePlan[] {
  const indices = ns.map((n) => validateIndex(n));
  const parallelism = Math.max(1, Math.floor(options.parallelism ?? 1));
  const costed = indices.map((n) => costNthPrime(n));
  const total = options.batchSeconds ?? costed.reduce((sum, item) => sum + item.seconds, 0);
  const minChunk = minChunkSeconds(parallelism);
  // The mean chunk, kept so that the largest (1 + SKEW times it) is within MAX_CHUNK_SECONDS.
  const target = Math.min(
    MAX_CHUNK_SECONDS / (1 + SKEW),
    Math.max(minChunk, total / (CHUNKS_PER_WORKER * parallelism)),
  );
  return costed.map((item) => {
    if (item.curve === null) return item.plan;
    const work = item.seconds - walkSeconds(Number(item.plan.estimate));
    // Below 1.5 targets a split would leave chunks under MIN_CHUNK_SECONDS or barely gain.
    const count =
      options.chunks ??
      (parallelism === 1 || work < 1.5 * target ? 1 : Math.max(1, Math.round(work / target)));
    const chunks = cutChunks(item.plan.n, item.curve, Math.max(1, count), minChunk);
    return { ...item.plan, chunks };
  });
}

/** The least mean chunk for `parallelism`: MIN_CHUNK_SECONDS up to 4, then falling with it. */
export function minChunkSeconds(parallelism: number): number {
  return Math.max(
    MIN_CHUNK_SECONDS_MANY,
    Math.min(MIN_CHUNK_SECONDS, (4 * MIN_CHUNK_SECONDS) / parallelism),
  );
}

interface CostedPlan {
  /** The plan without its chunks. */
  readonly plan: NthPrimePlan;
  readonly curve: CostCurve | null;
  readonly seconds: number;
}

/**
 * Estimated seconds on one core to find the nth prime (0 within the small table): what a
 * batch planned in slices sums for `batchSeconds`, and what a rate limiter can price a call
 * by. Throws like validateIndex.
 */
export function estimateNthPrimeSeconds(n: bigint | number | string): number {
  return costNthPrime(validateIndex(n)).seconds;
}

/** Cost curves kept, so that a batch planned in two passes estimates each n once. */
const KEPT_COSTS = 1024;
const costs = new Map<bigint, CostedPlan>();

function costNthPrime(n: bigint): CostedPlan {
  let costed = costs.get(n);
  if (costed === undefined) {
    costed = estimate(n);
    costs.set(n, costed);
    if (costs.size > KEPT_COSTS) costs.delete(costs.keys().next().value as bigint);
  }
  return costed;
}

function estimate(n: bigint): CostedPlan {
  const text = n.toString();
  if (n <= BigInt(SMALL_TABLE_MAX_N)) {
    const answer = String(smallPrimeTable().nth(Number(n)));
    const plan = { n: text, answer, estimate: answer, params: null, chunks: [], seconds: 0 };
    return { plan, curve: null, seconds: 0 };
  }
  // R^-1(n) in doubles: an estimate, within a few sqrt(n) of p(n) as the walk expects.
  const estimate = inverseRiemannR(Number(n));
  const params = primeCountParams(BigInt(estimate));
  const curve = costCurve(params);
  const seconds = curve.once + curve.lines.reduce((sum, line) => sum + line.total, 0);
  const withWalk = seconds + walkSeconds(estimate);
  const plan = {
    n: text,
    answer: null,
    estimate: params.x,
    params,
    chunks: [],
    seconds: withWalk,
  };
  return { plan, curve, seconds: withWalk };
}

/** A line split into cells with each cell's estimated seconds. */
interface LineCurve {
  readonly kind: RangedPartKind;
  /** Cell boundaries, ascending, from the line's start to its end. */
  readonly bounds: readonly number[];
  readonly seconds: readonly number[];
  readonly total: number;
}

interface CostCurve {
  readonly params: PrimeCountParams;
  /** Seconds of the parts computed once. */
  readonly once: number;
  readonly lines: readonly LineCurve[];
}

function costCurve(params: PrimeCountParams): CostCurve {
  const approximate = approximateParams(params);
  const lines = LINES.map((kind): LineCurve => {
    const [start, end] = lineOf(params, kind);
    const work = lineWork(approximate, kind);
    const bounds = [start];
    for (let i = 1; i < CELLS; i++) {
      const at = alignDown(start + (end - start) * (i / CELLS) ** 3);
      if (at > bounds[bounds.length - 1]!) bounds.push(at);
    }
    bounds.push(end);
    const seconds = bounds.slice(1).map((high, i) => workSeconds(kind, work(bounds[i]!, high)));
    return { kind, bounds, seconds, total: seconds.reduce((sum, s) => sum + s, 0) };
  });
  return { params, once: oncePartsSeconds(approximate), lines };
}

/** Ranges start at multiples of 64, as the sieves' words need. */
function alignDown(u: number): number {
  return Math.floor(u / 64) * 64;
}

/** A point of the concatenated lines: position `at` of line `line`. */
interface Cut {
  readonly line: number;
  readonly at: number;
}

/**
 * Cuts the once parts and the lines, in order, into `count` chunks of falling estimated cost.
 * The once parts stay together in the first chunk; a chunk may end one line and start the next.
 */
function cutChunks(n: string, curve: CostCurve, count: number, minChunk: number): NthPrimeChunk[] {
  const { params, lines } = curve;
  const total = curve.once + lines.reduce((sum, line) => sum + line.total, 0);
  // Chunk j's share falls from (1 + skew) to (1 - skew) times the mean: workers that pull
  // chunks in plan order then end on small ones, so the last to finish waits little for the rest.
  // Less skew where the mean is small, so that no chunk drops below 0.6 of the floor.
  const mean = total / count;
  const skew = Math.max(0, Math.min(SKEW, 1 - (0.6 * minChunk) / mean));
  const share = (j: number): number => (1 + skew * (1 - (2 * j) / (count - 1))) / count;
  const cuts: Cut[] = [];
  let before = 0;
  for (let j = 1; j < count; j++) {
    before += share(j - 1);
    const cut = cutAt(curve, total * before);
    const last = cuts[cuts.length - 1];
    if (cut !== null && (last === undefined || cut.line > last.line || cut.at > last.at))
      cuts.push(cut);
  }
  const points: Cut[] = [{ line: 0, at: lines[0]!.bounds[0]! }, ...cuts];
  const end = lines[lines.length - 1]!;
  points.push({ line: lines.length - 1, at: end.bounds[end.bounds.length - 1]! });
  const chunks: NthPrimeChunk[] = [];
  for (let c = 0; c + 1 < points.length; c++) {
    const from = points[c]!;
    const to = points[c + 1]!;
    const parts: PrimeCountPart[] = c === 0 ? [...ONCE_PARTS] : [];
    let seconds = c === 0 ? curve.once : 0;
    for (let l = from.line; l <= to.line; l++) {
      const line = lines[l]!;
      const low = l === from.line ? from.at : line.bounds[0]!;
      const high = l === to.line ? to.at : line.bounds[line.bounds.length - 1]!;
      if (high <= low) continue;
      parts.push({ kind: line.kind, low, high });
      seconds += secondsBetween(line, low, high);
    }
    chunks.push({ n, index: c, count: 0, label: '', params, parts, seconds });
  }
  return chunks.map((chunk) => ({
    ...chunk,
    count: chunks.length,
    label: `pi(${params.x}): ${chunk.parts.map(describePart).join(', ')}`,
  }));
}

/** Where the concatenated lines reach `seconds` (after the once parts); null inside them. */
function cutAt(curve: CostCurve, seconds: number): Cut | null {
  let left = seconds - curve.once;
  if (left <= 0) return null;
  for (let l = 0; l < curve.lines.length; l++) {
    const line = curve.lines[l]!;
    if (left >= line.total) {
      left -= line.total;
      continue;
    }
    for (let i = 0; i < line.seconds.length; i++) {
      const cell = line.seconds[i]!;
      if (left >= cell) {
        left -= cell;
        continue;
      }
      // Within a cell the cost is taken as even.
      const low = line.bounds[i]!;
      const high = line.bounds[i + 1]!;
      const at = alignDown(low + (high - low) * (left / cell));
      return { line: l, at: Math.max(line.bounds[0]!, at) };
    }
  }
  return null;
}

/** Estimated seconds of [low, high) of a line, cells counted in proportion where cut. */
function secondsBetween(line: LineCurve, low: number, high: number): number {
  let seconds = 0;
  for (let i = 0; i < line.seconds.length; i++) {
    const a = line.bounds[i]!;
    const b = line.bounds[i + 1]!;
    const overlap = Math.min(b, high) - Math.max(a, low);
    if (overlap > 0) seconds += (line.seconds[i]! * overlap) / (b - a);
  }
  return seconds;
}

const PART_NAMES: Record<PrimeCountPart['kind'], string> = {
  sigma: 'Sigma',
  'ordinary-leaves': 'ordinary leaves',
  'composed-easy-leaves': 'composed easy leaves',
  'easy-leaves': 'easy leaves',
  'large-primes': 'large-prime sum',
  'hard-leaves': 'hard leaves',
};

function describePart(part: PrimeCountPart): string {
  const name = PART_NAMES[part.kind];
  return 'low' in part ? `${name} u in [${part.low}, ${part.high})` : name;
}

/** Runs one chunk on this thread's WebAssembly kernels: synchronous, CPU-bound, bounded by the plan. */
export function computeChunk(chunk: NthPrimeChunk): NthPrimeChunkResult {
  return {
    index: chunk.index,
    results: chunk.parts.map((part) => computePart(chunk.params, part)),
  };
}

/**
 * The nth prime from a plan and the results of all its chunks, in any order: pi(x) from the
 * parts, then the walk from x to the answer (tens of milliseconds at n = 10^14, about a second
 * at 10^16: run it where the chunks run, not on a thread that answers calls). Exact for every
 * n. Throws InvalidArgumentError when a result is missing, repeated or does not belong to the
 * plan.
 */
export function combineNthPrimeExact(
  plan: NthPrimePlan,
  results: readonly NthPrimeChunkResult[],
): bigint {
  if (plan.answer !== null) return BigInt(plan.answer);
  if (plan.params === null) throw new InvalidArgumentError('plan has neither answer nor params');
  const seen = new Set<number>();
  for (const { index } of results) {
    if (!Number.isInteger(index) || index < 0 || index >= plan.chunks.length || seen.has(index)) {
      throw new InvalidArgumentError(`unexpected or repeated result for chunk ${index}`);
    }
    seen.add(index);
  }
  if (seen.size !== plan.chunks.length) {
    throw new InvalidArgumentError(
      `${plan.chunks.length - seen.size} of ${plan.chunks.length} chunk results are missing`,
    );
  }
  let count: bigint;
  try {
    count = combineParts(
      plan.params,
      results.flatMap((result) => result.results),
    );
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
  return nthPrimeNearExact(BigInt(plan.n), BigInt(plan.estimate), count);
}

/**
 * combineNthPrimeExact as a number, for callers of the number API; throws OutOfRangeError when
 * the prime passes 2^53 (n above about 2.5 * 10^14).
 */
export function combineNthPrime(
  plan: NthPrimePlan,
  results: readonly NthPrimeChunkResult[],
): number {
  return toNumber(combineNthPrimeExact(plan, results));
}
