import { createActor, setup } from 'xstate';
import { abortable } from '../src/abortable.js';
import type { JobRegistry } from '../src/jobs/job-registry.js';
import { targetId } from '../src/jobs/prime-target.js';
import type { Answer, Answerer } from '../src/request/answerer.js';
import type { CalcMethod, CalcReply, CalcRequest } from '../src/request/calc-calls.js';
import type { CallContext } from '../src/request/call-context.js';
import {
  answerArithmetic,
  answerInline,
  checkTargets,
  composeReply,
  type RequestLimits,
} from '../src/request/request-checks.js';

/**
 * The benchmark's baseline: the same checks and answers as the request machine, in
 * straight-line code without an actor. Not for production: it ignores cancellation.
 */
export function createPlainAnswerer(registry: JobRegistry, limits: RequestLimits): Answerer {
  // Each branch answers its own method; TypeScript cannot narrow a generic request, hence the cast.
  const answer = (request: CalcRequest, context: CallContext): CalcReply | Promise<CalcReply> => {
    if (request.method === 'Add' || request.method === 'Max') return answerArithmetic(request);
    const checked = checkTargets(request, limits);
    const answers = answerInline(checked.inline);
    if (checked.heavy.length === 0) return composeReply(request, checked.targets, answers);
    const leases = registry.acquire(checked.heavy, context.client);
    return abortable(Promise.all(leases.map((lease) => lease.result)), context.call.signal)
      .then((heavy) => {
        for (const [index, target] of checked.heavy.entries()) {
          const answer = heavy[index];
          if (answer !== undefined) answers.set(targetId(target), answer);
        }
        return composeReply(request, checked.targets, answers);
      })
      .finally(() => {
        for (const lease of leases) lease.release();
      });
  };
  return <M extends CalcMethod>(request: CalcRequest<M>, context: CallContext) =>
    answer(request, context) as Answer<M>;
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
  return <M extends CalcMethod>(request: CalcRequest<M>, context: CallContext): Answer<M> => {
    createActor(emptyMachine).start();
    return plain(request, context);
  };
}
