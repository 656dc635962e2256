// The events of the log: one per command accepted, one per outcome. They are
// JSON in a Redis Stream entry; 64-bit values travel as decimal strings so
// any reader (jq, a dashboard, another language) gets them exactly.
import type { CalcMethod, CalcReply, CalcRequest } from '../request/calc-calls.js';

/** A call was accepted: what was asked. */
export interface CommandEvent {
  readonly type: 'command';
  /** Unique per command; outcome events refer to it. */
  readonly id: string;
  /** The x-request-id of the call (given by the client or generated). */
  readonly requestId: string;
  /** Who called: the API key's client name, or the peer's address without authentication. */
  readonly client: string;
  readonly method: CalcMethod;
  readonly args: Readonly<Record<string, string | readonly string[]>>;
  /** ISO time the call was accepted. */
  readonly at: string;
}

/** A call was answered. */
export interface ResultEvent {
  readonly type: 'result';
  readonly commandId: string;
  readonly requestId: string;
  readonly method: CalcMethod;
  readonly result: Readonly<Record<string, string | readonly string[]>>;
  readonly durationMs: number;
  readonly at: string;
}

/** A call ended with an error status. */
export interface ErrorEvent {
  readonly type: 'error';
  readonly commandId: string;
  readonly requestId: string;
  readonly method: CalcMethod;
  /** The gRPC status name, e.g. OUT_OF_RANGE. */
  readonly code: string;
  /** The message the client saw. */
  readonly message: string;
  readonly durationMs: number;
  readonly at: string;
}

export type CalcEvent = CommandEvent | ResultEvent | ErrorEvent;

/** The kinds of event, in the `type` field of each stream entry. */
const EVENT_TYPES = ['command', 'result', 'error'] as const;

/** The arguments of a call as JSON-safe strings. */
export function commandArgs(request: CalcRequest): CommandEvent['args'] {
  switch (request.method) {
    case 'Add':
    case 'Max':
      return { a: String(request.a), b: String(request.b) };
    case 'NthPrimes':
      return { n: request.n.map(String) };
    case 'PrimePi':
      return { x: request.x.map(String) };
  }
}

/** The answer of a call as JSON-safe strings. */
export function replyResult(reply: CalcReply): ResultEvent['result'] {
  switch (reply.method) {
    case 'Add':
      return { sum: String(reply.sum) };
    case 'Max':
      return { max: String(reply.max) };
    case 'NthPrimes':
      return { nthPrimes: reply.nthPrimes.map(String) };
    case 'PrimePi':
      return { pi: reply.pi.map(String) };
  }
}

/** The fields of the stream entry holding `event`: its type, and the event as JSON. */
export function encodeEvent(event: CalcEvent): [string, string, string, string] {
  return ['type', event.type, 'event', JSON.stringify(event)];
}

/** Reads a stream entry's fields back; throws TypeError on an entry that is not an event. */
export function decodeEvent(fields: readonly string[]): CalcEvent {
  const index = fields.indexOf('event');
  const json = index >= 0 && index % 2 === 0 ? fields[index + 1] : undefined;
  if (json === undefined) throw new TypeError('stream entry has no event field');
  const parsed: unknown = JSON.parse(json);
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('type' in parsed) ||
    !EVENT_TYPES.includes(parsed.type as CalcEvent['type'])
  ) {
    throw new TypeError(`not an event: ${json.slice(0, 200)}`);
  }
  return parsed as CalcEvent;
}
