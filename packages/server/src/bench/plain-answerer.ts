import { createActor, setup } from 'xstate';
import {
  answerArithmetic,
  answerInlineNs,
  checkNs,
  composeNthPrimes,
  type RequestLimits,
} from '../calc-request.js';
import type { Answerer } from '../grpc/unary-call.js';
import type { JobRegistry } from '../jobs/job-registry.js';

/**
 * The benchmark's baseline: the same checks and answers as the request
 * machine, in straight-line code without an actor. Not for production: it has
 * no deadline timer and ignores cancellation.
 */
export function createPlainAnswerer(registry: JobRegistry, limits: RequestLimits): Answerer {
  const never = new AbortController().signal;
  return (request, _context, done) => {
    try {
      if (request.method !== 'NthPrimes') {
        done({ ok: true, reply: answerArithmetic(request) });
      } else {
        const checked = checkNs(request.n, limits);
        const primes = answerInlineNs(checked.inline);
        if (checked.heavy.length === 0) {
          done({ ok: true, reply: composeNthPrimes(checked.ns, primes) });
        } else {
          const leases = registry.acquire(checked.heavy);
          Promise.all(leases.map((lease) => lease.result(never)))
            .then((heavy) => {
              for (const [index, n] of checked.heavy.entries()) {
                primes.set(n, heavy[index] ?? Number.NaN);
              }
              done({ ok: true, reply: composeNthPrimes(checked.ns, primes) });
            })
            .catch((error: unknown) => done({ ok: false, error }))
            .finally(() => {
              for (const lease of leases) lease.release();
            });
        }
      }
    } catch (error) {
      done({ ok: false, error });
    }
    return { interrupt: () => undefined };
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
  return (request, context, done) => {
    createActor(emptyMachine).start();
    return plain(request, context, done);
  };
}
