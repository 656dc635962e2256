import type { InspectionEvent, StateValue } from 'xstate';

/** "heavyWork.waitingForJobs" for { heavyWork: 'waitingForJobs' }. */
export function stateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value)[0] ?? ['', undefined];
  return child === undefined ? key : `${key}.${stateName(child)}`;
}

/**
 * An xstate inspector that reports how long the request actor spent in each
 * state it left, once per visit; final states are not reported.
 *
 * xstate reports a microstep after the entered state's entry actions ran, so
 * the time of a microstep that follows another in the same macrostep (the
 * previous state was transient) is entry work of the state entered and is
 * counted there: validation and inline answers count in answeringInline (the
 * initial state, whose entry actions run them). Otherwise the time was spent
 * waiting in the state being left (dispatchingJobs, waitingForJobs).
 */
export function createStateTimer(
  report: (state: string, durationMs: number) => void,
  initialState: string,
): (inspection: InspectionEvent) => void {
  let current: string | undefined = initialState;
  let since = performance.now();
  let lastEvent: unknown;
  let done = false;
  const spent = new Map<string, number>();
  return (inspection) => {
    if (done || inspection.type !== '@xstate.microstep') return;
    if (inspection.actorRef.sessionId !== inspection.rootId) return;
    const now = performance.now();
    const snapshot = inspection.snapshot as { value?: StateValue; status?: string };
    if (snapshot.value === undefined) return;
    const entered = stateName(snapshot.value);
    const label = current === undefined || inspection.event === lastEvent ? entered : current;
    spent.set(label, (spent.get(label) ?? 0) + (now - since));
    if (current !== undefined && entered !== current) {
      report(current, spent.get(current) ?? 0);
      spent.delete(current);
    }
    current = entered;
    since = now;
    lastEvent = inspection.event;
    if (snapshot.status === 'done') done = true;
  };
}
