import { pino } from 'pino';
import type { Environment } from '../config/env-reader.js';
import { configOrExit } from '../config/exit-on-config-error.js';
import { createLogger } from '../logger.js';
import { exitWithUsageError, parseBinArguments } from '../process/bin-arguments.js';
import { exitOnShutdownSignals } from '../process/shutdown-signals.js';
import { parseEventReaderConfig } from './event-log-config.js';
import { EventReplay } from './event-replay.js';
import { EventSubscriber } from './event-subscriber.js';
import type { StreamEvent } from './stream-entry.js';

const STREAM_ID = /^(\d+(-\d+)?|\$)$/;
const BATCH_SIZE = 100;
const BLOCK_MS = 5000;

/** One output line: the stream id, then the event's own fields. */
function formatEventLine({ id, event }: StreamEvent): string {
  return `${JSON.stringify({ streamId: id, ...event })}\n`;
}

function write(line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Waiting for the write keeps an event unacknowledged until it reached stdout.
    process.stdout.write(line, (error) => (error ? reject(error) : resolve()));
  });
}

function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/** The `twelvefa-events` admin command. */
export async function runEvents(env: Environment, argv: readonly string[]): Promise<void> {
  const args = parseBinArguments('twelvefa-events', argv, {
    follow: { type: 'boolean', short: 'f', default: false },
    from: { type: 'string' },
    group: { type: 'string' },
    consumer: { type: 'string' },
  });
  const from = args.values.from;
  if (from !== undefined && !STREAM_ID.test(from)) {
    exitWithUsageError(
      'twelvefa-events',
      `--from must be a stream id such as 0 or 1700000000000-0, got ${JSON.stringify(from)}`,
    );
  }
  const overrides: Record<string, string | undefined> = {};
  if (args.values.group !== undefined) overrides.EVENT_GROUP = args.values.group;
  if (args.values.consumer !== undefined) overrides.EVENT_CONSUMER = args.values.consumer;
  const events = configOrExit(parseEventReaderConfig, { ...env, ...overrides }, 'twelvefa-events');
  // Events own stdout; logs go to stderr so the output pipes straight into jq.
  const logger = createLogger(events, {
    name: 'twelvefa-events',
    destination: pino.destination({ dest: 2, sync: true }),
  });
  const common = {
    redis: events.redis,
    stream: events.stream,
    batchSize: BATCH_SIZE,
    blockMs: BLOCK_MS,
  };
  const follow = args.values.follow;
  const reader =
    from === undefined
      ? new EventSubscriber(
          {
            ...common,
            group: events.group,
            consumer: events.consumer,
            claimIdleMs: events.claimIdleMs,
          },
          logger,
        )
      : new EventReplay({ ...common, from }, logger);
  exitOnShutdownSignals(() => reader.close(), logger);
  // `twelvefa-events | head`: whoever reads our output went away. Stop quietly, as Unix tools
  // do; the event being written stays unacknowledged, so the next run prints it.
  process.stdout.on('error', (error) => {
    if (!isBrokenPipe(error)) logger.error({ err: error }, 'writing to stdout failed');
    void reader.close();
  });
  const print = (event: StreamEvent): Promise<void> => write(formatEventLine(event));
  try {
    await reader.run(print, { follow });
  } catch (error) {
    if (!isBrokenPipe(error)) throw error;
  } finally {
    await reader.close();
  }
}
