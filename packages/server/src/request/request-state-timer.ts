import type { Transition } from './request-transitions.js';

/**
 * Reports how long a request actor spent in each state it left, once per visit; final states
 * are not reported.
 *
 * xstate reports a microstep after the entered state's entry actions ran, so the time of a
 * microstep that follows another in the same macrostep (the previous state was transient) is
 * entry work of the state entered and is counted there: validation in `validating` (the clock
 * starts before the actor is created, while its initial state is entered), inline answers in
 * `answeringInline`. Otherwise the time was spent waiting in the state being left (`computing`).
 */
export function createStateTimer(
  report: (state: string, durationMs: number) => void,
  initialState: string,
): (transition: Transition) => void {
  let current: string | undefined = initialState;
  let since = performance.now();
  let lastEvent: unknown;
  let done = false;
  const spent = new Map<string, number>();
  return (transition) => {
    if (done) return;
    const now = performance.now();
    const entered = transition.state;
    const label = current === undefined || transition.event === lastEvent ? entered : current;
    spent.set(label, (spent.get(label) ?? 0) + (now - since));
    if (current !== undefined && entered !== current) {
      report(current, spent.get(current) ?? 0);
      spent.delete(current);
    }
    current = entered;
    since = now;
    lastEvent = transition.event;
    if (transition.done) done = true;
  };
}
