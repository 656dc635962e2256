import type { PrimeCountParams } from '../prime/prime-count-params.js';
import type { PrimeCountPart } from '../prime/prime-count-parts.js';

const PART_NAMES: Record<PrimeCountPart['kind'], string> = {
  sigma: 'Sigma',
  'ordinary-leaves': 'ordinary leaves',
  'composed-easy-leaves': 'composed easy leaves',
  'easy-leaves': 'easy leaves',
  'large-primes': 'large-prime sum',
  'hard-leaves': 'hard leaves',
};

/**
 * What a chunk computes, in the formula's terms, for job data and logs:
 * "pi(1000000007): hard leaves u in [0, 4096)".
 */
export function chunkLabel(params: PrimeCountParams, parts: readonly PrimeCountPart[]): string {
  return `pi(${params.x}): ${parts.map(describePart).join(', ')}`;
}

function describePart(part: PrimeCountPart): string {
  const name = PART_NAMES[part.kind];
  return 'low' in part ? `${name} u in [${part.low}, ${part.high})` : name;
}
