import { createActor, setup } from 'xstate';
import type { Answerer } from '../src/answerer.js';
import {
  answerArithmetic,
  answerInlineNs,
  checkNs,
  composeNthPrimes,
  type RequestLimits,
} from '../src/calc-request.js';
import type { JobRegistry } from '../src/jobs/job-registry.js';

/**
 * The benchmark's baseline: the same checks and answers as the request machine, in
 * straight-line code without an actor. Not for production: it ignores cancellation.
 */
export function createPlainAnswerer(registry: JobRegistry, limits: RequestLimits): Answerer {
  return (request, context) => {
    if (request.method !== 'NthPrimes') return answerArithmetic(request);
    const checked = checkNs(request.n, limits);
    const primes = answerInlineNs(checked.inline);
    if (checked.heavy.length === 0) return composeNthPrimes(checked.ns, primes);
    const leases = registry.acquire(checked.heavy);
    return Promise.all(leases.map((lease) => lease.result(context.signal)))
      .then((heavy) => {
        for (const [index, n] of checked.heavy.entries()) primes.set(n, heavy[index] ?? Number.NaN);
        return composeNthPrimes(checked.ns, primes);
      })
      .finally(() => {
        for (const lease of leases) lease.release();
      });
  };
}

/** An xstate actor with nothing to do: one final state. */
const emptyMachine = setup({}).createMachine({
  initial: 'done',
  states: { done: { type: 'final' } },
});

/**
 * The benchmark's control: the plain handler plus one empty xstate actor per call, so the
 * figures separate what any actor costs from what the request machine's own states cost.
 */
export function createEmptyActorAnswerer(registry: JobRegistry, limits: RequestLimits): Answerer {
  const plain = createPlainAnswerer(registry, limits);
  return (request, context) => {
    createActor(emptyMachine).start();
    return plain(request, context);
  };
}
