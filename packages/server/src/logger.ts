import { type DestinationStream, type Logger, pino } from 'pino';
import type { LogConfig } from './config/process-config.js';

export type { Logger } from 'pino';

/** Options of createLogger; `destination` lets tests and the bench capture or discard lines. */
export interface LoggerOptions {
  readonly name: string;
  readonly destination?: DestinationStream;
}

/** One JSON line per event on stdout; pretty when LOG_FORMAT says so (auto: when stdout is a TTY). */
export function createLogger(config: LogConfig, options: LoggerOptions): Logger {
  const pretty =
    options.destination === undefined &&
    (config.logFormat === 'pretty' ||
      (config.logFormat === 'auto' && process.stdout.isTTY === true));
  const base = { level: config.logLevel, name: options.name, base: { pid: process.pid } };
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 1 } } });
  }
  // Synchronous writes: a line logged just before process.exit() is never lost.
  return pino(base, options.destination ?? pino.destination({ dest: 1, sync: true }));
}
