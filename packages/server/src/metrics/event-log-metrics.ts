import { Counter, type Registry } from 'prom-client';
import type { EventLogMonitor, EventLossReason } from '../events/event-log.js';

/** Events written to the stream and events lost, so a silent gap in the log shows on a graph. */
export class EventLogMetrics implements EventLogMonitor {
  readonly written: Counter<'type'>;
  readonly lost: Counter<'reason'>;

  constructor(registry: Registry) {
    this.written = new Counter({
      name: 'twelvefa_event_log_writes_total',
      help: 'Events appended to the event stream, by type (command, result, error).',
      labelNames: ['type'],
      registers: [registry],
    });
    this.lost = new Counter({
      name: 'twelvefa_event_log_write_failures_total',
      help: 'Events that could not be appended (the request was answered anyway), by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
  }

  eventWritten(type: string): void {
    this.written.inc({ type });
  }

  eventLost(reason: EventLossReason): void {
    this.lost.inc({ reason });
  }
}
