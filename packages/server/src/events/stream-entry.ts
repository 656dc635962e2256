import type { Logger } from '../logger.js';
import { type CalcEvent, decodeEvent } from './calc-event.js';

/** One event as read from the stream, with its stream id (usable with --from). */
export interface StreamEvent {
  readonly id: string;
  readonly event: CalcEvent;
}

/** An entry as Redis returns it; fields are null for a pending entry trimmed away since. */
export type RawEntry = [id: string, fields: string[] | null];

/** Receives events one at a time; the next one waits until the promise settles. */
export type EventHandler = (event: StreamEvent) => void | Promise<void>;

/** The entries of an XREAD/XREADGROUP reply for one stream ([] when Redis answered nil). */
export function entriesOf(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) return [];
  const first: unknown = reply[0];
  return Array.isArray(first) && Array.isArray(first[1]) ? (first[1] as RawEntry[]) : [];
}

/** The event of an entry, or undefined (logged) when it is trimmed away or not an event. */
export function eventOf(entry: RawEntry, logger: Logger): StreamEvent | undefined {
  const [id, fields] = entry;
  if (fields === null) {
    logger.warn({ id }, 'event trimmed from the stream before it was read');
    return undefined;
  }
  try {
    return { id, event: decodeEvent(fields) };
  } catch (error) {
    logger.warn({ id, err: error }, 'skipping a stream entry that is not an event');
    return undefined;
  }
}
