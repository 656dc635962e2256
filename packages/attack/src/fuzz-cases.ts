// Requests a fuzzer sends: valid ones at the edges of the contract and every way of breaking
// the protobuf wire format, each with the answer the contract promises, worked out here with
// nothing the server runs: BigInt arithmetic for Add and Max, and test-support's plain sieve
// for the nth prime (the fuzzed server's MAX_N keeps every n within it).
import { status } from '@grpc/grpc-js';
import {
  AddRequest,
  AddResponse,
  MaxRequest,
  MaxResponse,
  NthPrimesRequest,
  NthPrimesResponse,
} from '@twelvefa/proto';
import { referenceNthPrime } from '@twelvefa/test-support';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** The limits the fuzzed server runs with (its environment says the same). */
export interface FuzzLimits {
  /**
   * MAX_N: kept low, so that no decodable request costs more than milliseconds, and within the
   * reference sieve's range.
   */
  readonly maxN: number;
  /** MAX_BATCH. */
  readonly maxBatch: number;
}

/** What the contract promises for a request: a status, and on OK the exact reply. */
export type Expected =
  | { readonly code: typeof status.OK; readonly check: (reply: Buffer) => string | undefined }
  | { readonly code: Exclude<status, typeof status.OK> };

/** One request to send. */
export interface FuzzCase {
  /** Which generator made it, for the tally. */
  readonly kind: string;
  readonly path: string;
  readonly body: Uint8Array;
  readonly expected: Expected;
}

/** A seeded generator (mulberry32): the same seed sends the same requests. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

const int = (random: Random, below: number): number => Math.floor(random() * below);

function randomInt64(random: Random): bigint {
  const edges = [0n, 1n, -1n, 2n, INT64_MAX, INT64_MIN, INT64_MAX - 1n, INT64_MIN + 1n];
  if (random() < 0.4) return pick(random, edges);
  const bits = (BigInt(int(random, 2 ** 32)) << 32n) | BigInt(int(random, 2 ** 32));
  // Half of them small enough that their sums mostly fit.
  return BigInt.asIntN(random() < 0.5 ? 64 : 40, bits);
}

function randomN(random: Random, limits: FuzzLimits): bigint {
  const roll = random();
  if (roll < 0.5) return BigInt(1 + int(random, 10_000));
  if (roll < 0.7) return BigInt(1 + int(random, limits.maxN));
  const edges = [0n, 1n, BigInt(limits.maxN), BigInt(limits.maxN) + 1n, 2n ** 63n, 2n ** 64n - 1n];
  return pick(random, edges);
}

interface Method {
  readonly path: string;
  /** A valid request of this method, as bytes. */
  valid(random: Random, limits: FuzzLimits): Uint8Array;
  /** What the contract promises for bytes the decoder reads; throws if it cannot read them. */
  expect(body: Uint8Array, limits: FuzzLimits): Expected;
}

const ok = (check: (reply: Buffer) => string | undefined): Expected => ({ code: status.OK, check });

const mismatch = (what: string, got: unknown, want: unknown): string | undefined =>
  got === want ? undefined : `${what}: got ${String(got)}, want ${String(want)}`;

const ADD: Method = {
  path: '/calc.Calc/Add',
  valid: (random) => AddRequest.encode({ a: randomInt64(random), b: randomInt64(random) }).finish(),
  expect: (body) => {
    const { a, b } = AddRequest.decode(body);
    const sum = a + b;
    if (sum > INT64_MAX || sum < INT64_MIN) return { code: status.OUT_OF_RANGE };
    return ok((reply) => mismatch('sum', AddResponse.decode(reply).sum, sum));
  },
};

const MAX: Method = {
  path: '/calc.Calc/Max',
  valid: (random) => MaxRequest.encode({ a: randomInt64(random), b: randomInt64(random) }).finish(),
  expect: (body) => {
    const { a, b } = MaxRequest.decode(body);
    // biome-ignore lint/complexity/useMathMinMax: Math.max takes no bigint
    const larger = a > b ? a : b;
    return ok((reply) => mismatch('max', MaxResponse.decode(reply).max, larger));
  },
};

const NTH_PRIMES: Method = {
  path: '/calc.Calc/NthPrimes',
  valid: (random, limits) => {
    const roll = random();
    const count = roll < 0.9 ? 1 + int(random, 5) : roll < 0.95 ? 0 : limits.maxBatch + 1;
    const n = Array.from({ length: count }, () => randomN(random, limits));
    return NthPrimesRequest.encode({ n }).finish();
  },
  expect: (body, limits) => {
    const { n } = NthPrimesRequest.decode(body);
    if (n.length === 0) return { code: status.INVALID_ARGUMENT };
    if (n.length > limits.maxBatch) return { code: status.RESOURCE_EXHAUSTED };
    for (const value of n) {
      if (value < 1n) return { code: status.INVALID_ARGUMENT };
      if (value > BigInt(limits.maxN)) return { code: status.OUT_OF_RANGE };
    }
    return ok((reply) => {
      const primes = NthPrimesResponse.decode(reply).nthPrimes;
      const want = n.map((value) => BigInt(referenceNthPrime(Number(value))));
      return mismatch('primes', primes.join(' '), want.join(' '));
    });
  },
};

const METHODS = [ADD, MAX, NTH_PRIMES] as const;

/** Ways of breaking a valid body; the decoder may still read some of the results. */
const BREAKERS: Record<string, (body: Uint8Array, random: Random) => Uint8Array> = {
  'truncated varint': (body) => Uint8Array.from([...body, 0x08, 0x80]),
  '11-byte varint': (body) => Uint8Array.from([...body, 0x08, ...Array(10).fill(0xff), 0x01]),
  'wire type 6 or 7': (body, random) =>
    Uint8Array.from([...body, (int(random, 15) << 3) | pick(random, [6, 7]), 0x01]),
  'length past the end': (body, random) =>
    Uint8Array.from([...body, 0x0a, 2 + int(random, 100), 0x01]),
  'cut short': (body, random) => body.subarray(0, int(random, body.length)),
  'bit flips': (body, random) => {
    const flipped = Uint8Array.from(body);
    for (let i = 0; i < 1 + int(random, 3) && flipped.length > 0; i++) {
      const at = int(random, flipped.length);
      flipped[at] = (flipped[at] ?? 0) ^ (1 << int(random, 8));
    }
    return flipped;
  },
  'random bytes': (_, random) =>
    Uint8Array.from({ length: int(random, 64) }, () => int(random, 256)),
  'unknown field': (body, random) => Uint8Array.from([...body, 0x78, int(random, 128)]),
  'group tags': (body) => Uint8Array.from([...body, 0x0b, 0x0c]),
};

/** What the contract promises for body: INVALID_ARGUMENT when the decoder cannot read it. */
function expectationOf(method: Method, body: Uint8Array, limits: FuzzLimits): Expected {
  try {
    return method.expect(body, limits);
  } catch {
    return { code: status.INVALID_ARGUMENT };
  }
}

/** The next request: a valid one at the edges (a third), or a broken one. */
export function nextCase(random: Random, limits: FuzzLimits): FuzzCase {
  const method = pick(random, METHODS);
  const valid = method.valid(random, limits);
  if (random() < 1 / 3) {
    return {
      kind: 'valid',
      path: method.path,
      body: valid,
      expected: expectationOf(method, valid, limits),
    };
  }
  const kind = pick(random, Object.keys(BREAKERS));
  const body = (BREAKERS[kind] as (typeof BREAKERS)[string])(valid, random);
  return { kind, path: method.path, body, expected: expectationOf(method, body, limits) };
}
