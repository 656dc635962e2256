// What a heavy computation is, as the service names it: the nth prime or pi(x) (the calc core's
// PrimeTarget), keyed, shown and carried in job data the same way everywhere.
import type { PrimeTarget } from '@twelvefa/calc';

export type { PrimeTarget } from '@twelvefa/calc';

/**
 * The target's id: the job id of its computation and its key in every map. Deterministic, so
 * the same target asked by any API replica at the same time is one job (BullMQ ignores a second
 * add): "nth-prime-1000000", "prime-count-1000000".
 */
export function targetId(target: PrimeTarget): string {
  return target.kind === 'nth-prime' ? `nth-prime-${target.n}` : `prime-count-${target.x}`;
}

/** How people read it (job names, logs): "n=1000000", "x=1000000". */
export function targetName(target: PrimeTarget): string {
  return target.kind === 'nth-prime' ? `n=${target.n}` : `x=${target.x}`;
}

/** A target in JSON (job data, results): its number as a decimal string. */
export type TargetData =
  | { readonly kind: 'nth-prime'; readonly n: string }
  | { readonly kind: 'prime-count'; readonly x: string };

export function targetData(target: PrimeTarget): TargetData {
  return target.kind === 'nth-prime'
    ? { kind: 'nth-prime', n: String(target.n) }
    : { kind: 'prime-count', x: String(target.x) };
}

const DECIMAL = /^\d+$/;

/** The target a TargetData stands for; throws TypeError on any other shape. */
export function parseTargetData(value: unknown): PrimeTarget {
  if (typeof value === 'object' && value !== null) {
    const data = value as Record<string, unknown>;
    if (data.kind === 'nth-prime' && typeof data.n === 'string' && DECIMAL.test(data.n)) {
      return { kind: 'nth-prime', n: BigInt(data.n) };
    }
    if (data.kind === 'prime-count' && typeof data.x === 'string' && DECIMAL.test(data.x)) {
      return { kind: 'prime-count', x: BigInt(data.x) };
    }
  }
  throw new TypeError(`not a target: ${JSON.stringify(value)}`);
}
