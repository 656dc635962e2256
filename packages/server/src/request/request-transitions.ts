import type { InspectionEvent, StateValue } from 'xstate';
import type { CallContext } from './call-context.js';

/** One microstep of a request actor: the event taken and the state it led to. */
export interface Transition {
  /** The same object for every microstep of one macrostep (a transient state's chain). */
  readonly event: { readonly type: string };
  /** A dotted path, e.g. "computing". */
  readonly state: string;
  /** Whether the actor reached a final state. */
  readonly done: boolean;
}

/** Watches the transitions of one call's actor; created per call, told each microstep. */
export type TransitionWatcher = (context: CallContext) => (transition: Transition) => void;

/** "a.b" for { a: 'b' }. */
function stateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value)[0] ?? ['', undefined];
  return child === undefined ? key : `${key}.${stateName(child)}`;
}

/**
 * An xstate inspector that passes the request actor's own microsteps (not those of the actors
 * it invokes) to `watch`, as transitions.
 */
export function transitionInspector(
  watch: (transition: Transition) => void,
): (inspection: InspectionEvent) => void {
  return (inspection) => {
    if (inspection.type !== '@xstate.microstep') return;
    if (inspection.actorRef.sessionId !== inspection.rootId) return;
    const snapshot = inspection.snapshot as { value?: StateValue; status?: string };
    if (snapshot.value === undefined) return;
    watch({
      event: inspection.event,
      state: stateName(snapshot.value),
      done: snapshot.status === 'done',
    });
  };
}
