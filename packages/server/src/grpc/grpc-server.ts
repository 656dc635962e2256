import { Server } from '@grpc/grpc-js';
import { smallPrimeTable } from '@twelvefa/calc';
import { CalcService } from '@twelvefa/proto';
import type { ApiConfig } from '../config/api-config.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { Logger } from '../logger.js';
import type { Answerer } from '../request/answerer.js';
import { createCalcService } from './calc-service.js';
import { guardServerResets } from './connection-resets.js';
import { ServerHealth } from './health.js';
import { type MalformedRequestListener, withTolerantDeserializers } from './malformed-request.js';
import { createReflection } from './reflection.js';
import { maxRequestBytes } from './request-size.js';
import { serverCredentials } from './server-tls.js';

/** What the server is built from. The server owns the runner: close() closes it. */
export interface ServerDeps {
  readonly config: ApiConfig;
  readonly logger: Logger;
  /** Its readiness is heavy work's health (services "" and calc.Calc); close() closes it after the calls in flight. */
  readonly runner: JobRunner;
  /** Answers every calc.Calc call (calc-answerer.ts puts the service's together). */
  readonly answer: Answerer;
  /** Told about each request body that could not be decoded (answered INVALID_ARGUMENT), for metrics. */
  readonly onMalformedRequest?: (method: string) => void;
}

/** After the grace, how long the calls failed UNAVAILABLE have to send their status. */
const FORCE_AFTER_MS = 1000;

const REQUEST_TYPES = {
  max: 'calc.MaxRequest',
  add: 'calc.AddRequest',
  nthPrimes: 'calc.NthPrimesRequest',
  watchNthPrimes: 'calc.WatchNthPrimesRequest',
  primePi: 'calc.PrimePiRequest',
  watchPrimePi: 'calc.WatchPrimePiRequest',
} as const;

/** A calc.Calc server with health and reflection. */
export interface TwelvefaServer {
  /** Binds HOST:PORT from the config; resolves the bound port. */
  start(): Promise<number>;
  /** Binds HOST:port (0 picks a free port); resolves the bound port. */
  listen(port: number): Promise<number>;
  /**
   * Graceful stop: readiness NOT_SERVING, no new calls, in-flight calls finish
   * within SHUTDOWN_GRACE_MS and are then cancelled; the runner is closed.
   * Safe to call twice.
   */
  close(): Promise<void>;
  /** The grpc.health.v1 statuses of the server (grpc/health.ts says what each means). */
  readonly health: ServerHealth;
}

/** Creates the server; nothing is bound until start() or listen(). */
export function createServer(deps: ServerDeps): TwelvefaServer {
  const { config, logger, runner, answer, onMalformedRequest } = deps;
  const grpcServer = new Server({
    'grpc.max_connection_age_ms': config.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': config.maxConnectionAgeGraceMs,
    // Bounds what one connection holds at once (a watch or call storm's memory); a client
    // queues past it, and nghttp2 refuses a client that ignores it.
    'grpc.max_concurrent_streams': config.maxConcurrentStreams,
    // A body too large for MAX_BATCH n is refused from its length prefix, before it is read.
    'grpc.max_receive_message_length': maxRequestBytes(config.maxBatch),
    'grpc.keepalive_time_ms': config.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': config.keepaliveTimeoutMs,
    // Clients may ping as often as we do, even between calls, without being cut off.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': Math.min(config.keepaliveTimeMs, 10_000),
  });
  // The client's mistake, not the server's: debug, not warn, so a fuzzing client cannot flood the log.
  const onMalformed: MalformedRequestListener = (method, request) => {
    logger.debug({ method, reason: request.reason }, 'malformed request');
    onMalformedRequest?.(method);
  };
  grpcServer.addService(
    withTolerantDeserializers(CalcService, REQUEST_TYPES, onMalformed),
    createCalcService({ answer, requestTimeoutMs: config.requestTimeoutMs, logger }),
  );
  const health = new ServerHealth(config.healthWatchMaxPerConnection);
  health.addToServer(grpcServer);
  createReflection().addToServer(grpcServer);

  let bound = false;
  let runnerReady = false;
  let closing: Promise<void> | undefined;
  let stopping = false;
  let stopped = false;
  let stopWatching: (() => void) | undefined;

  const updateHealth = (): void => {
    health.update({ alive: bound && !stopped, takingCalls: bound && !stopping, runnerReady });
  };

  const listen = (port: number): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      if (stopping) {
        reject(new Error('the server is closed'));
        return;
      }
      grpcServer.bindAsync(
        `${config.host}:${port}`,
        serverCredentials(config.tls),
        (error, boundPort) => {
          if (error !== null) {
            reject(error);
            return;
          }
          bound = true;
          // Busy clients' resets recycle their connection gracefully, before nghttp2 kills it.
          guardServerResets(grpcServer, config.maxConnectionAgeGraceMs, logger);
          stopWatching = runner.watchReadiness((ready) => {
            if (ready !== runnerReady) logger.info({ runner: runner.kind, ready }, 'job runner');
            runnerReady = ready;
            updateHealth();
          });
          // Build the inline table (n and x alike) off the start-up path: ready first, warm
          // just after.
          if (config.inlineMaxN > 0 || config.inlineMaxX > 0) setImmediate(smallPrimeTable);
          resolve(boundPort);
        },
      );
    });

  const shutdown = async (): Promise<void> => {
    stopping = true;
    runner.beginShutdown();
    updateHealth();
    stopWatching?.();
    await new Promise<void>((resolve) => {
      let forceTimer: NodeJS.Timeout | undefined;
      const graceTimer = setTimeout(() => {
        logger.warn(
          { graceMs: config.shutdownGraceMs },
          'grace period over, ending calls in flight UNAVAILABLE',
        );
        // Closing the runner fails every wait with UnavailableError, which the calls answer:
        // their clients see a status that says retry, not a reset stream. Whatever is still
        // open a moment later is cut off.
        void runner.close();
        forceTimer = setTimeout(() => {
          grpcServer.forceShutdown();
          resolve();
        }, FORCE_AFTER_MS);
      }, config.shutdownGraceMs);
      grpcServer.tryShutdown(() => {
        clearTimeout(graceTimer);
        clearTimeout(forceTimer);
        resolve();
      });
      // Watchers have been told NOT_SERVING; their streams would otherwise hold the grace.
      health.endWatches();
    });
    stopped = true;
    updateHealth();
    await runner.close();
  };

  return {
    start: () => listen(config.port),
    listen,
    close: () => {
      closing ??= shutdown();
      return closing;
    },
    health,
  };
}
