import { Server, ServerCredentials } from '@grpc/grpc-js';
import { nthPrime } from '@twelvefa/calc';
import { CalcService } from '@twelvefa/proto';
import type { Answerer } from './answerer.js';
import type { Config } from './config.js';
import { createCalcService } from './grpc/calc-service.js';
import { ServerHealth } from './grpc/health.js';
import { createReflection } from './grpc/reflection.js';
import type { JobRunner } from './jobs/job-runner.js';
import type { Logger } from './logger.js';

/** What the server is built from. The server owns the runner: close() closes it. */
export interface ServerDeps {
  readonly config: Config;
  readonly logger: Logger;
  /** Its readiness is heavy work's health (services "" and calc.Calc); close() closes it after the calls in flight. */
  readonly runner: JobRunner;
  /** Answers every calc.Calc call (calc-answerer.ts puts the service's together). */
  readonly answer: Answerer;
}

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
  const { config, logger, runner, answer } = deps;
  const grpcServer = new Server({
    'grpc.max_connection_age_ms': config.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': config.maxConnectionAgeGraceMs,
    'grpc.keepalive_time_ms': config.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': config.keepaliveTimeoutMs,
    // Clients may ping as often as we do, even between calls, without being cut off.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': Math.min(config.keepaliveTimeMs, 10_000),
  });
  grpcServer.addService(
    CalcService,
    createCalcService({ answer, requestTimeoutMs: config.requestTimeoutMs, logger }),
  );
  const health = new ServerHealth();
  health.implementation.addToServer(grpcServer);
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
        ServerCredentials.createInsecure(),
        (error, boundPort) => {
          if (error !== null) {
            reject(error);
            return;
          }
          bound = true;
          stopWatching = runner.watchReadiness((ready) => {
            if (ready !== runnerReady) logger.info({ runner: runner.kind, ready }, 'job runner');
            runnerReady = ready;
            updateHealth();
          });
          // Build the inline table off the start-up path: ready first, warm just after.
          if (config.inlineMaxN > 0) setImmediate(() => nthPrime(1));
          resolve(boundPort);
        },
      );
    });

  const shutdown = async (): Promise<void> => {
    stopping = true;
    updateHealth();
    stopWatching?.();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        logger.warn(
          { graceMs: config.shutdownGraceMs },
          'grace period over, cancelling calls in flight',
        );
        grpcServer.forceShutdown();
        resolve();
      }, config.shutdownGraceMs);
      grpcServer.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
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
