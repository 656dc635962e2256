import { Server, ServerCredentials } from '@grpc/grpc-js';
import { nthPrime } from '@twelvefa/calc';
import { CalcService } from '@twelvefa/proto';
import type { RequestLimits } from './calc-request.js';
import type { Config } from './config.js';
import { createActorAnswerer, provideRequestMachine } from './grpc/actor-answerer.js';
import { createCalcService } from './grpc/calc-service.js';
import { NOT_SERVING, SERVING, ServerHealth } from './grpc/health.js';
import { createReflection } from './grpc/reflection.js';
import type { Answerer } from './grpc/unary-call.js';
import { JobRegistry } from './jobs/job-registry.js';
import type { JobRunner } from './jobs/job-runner.js';
import type { Logger } from './logger.js';
import type { RequestObserver } from './request-observer.js';

/** Builds the answerer; the default runs one request actor per call. */
export type AnswererFactory = (
  registry: JobRegistry,
  limits: RequestLimits,
  logger: Logger,
  observer?: RequestObserver,
) => Answerer;

/** What the server is built from. The server owns the runner: close() closes it. */
export interface ServerDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly runner: JobRunner;
  /** Replaces the request actor, e.g. with the benchmark's plain handler. */
  readonly createAnswerer?: AnswererFactory;
  /** Watches every call: request metrics and the event log (see telemetry.ts). */
  readonly observer?: RequestObserver;
}

/** A calc.Calc server with health and reflection. */
export interface TwelvefaServer {
  /** Binds HOST:PORT from the config; resolves the bound port. */
  start(): Promise<number>;
  /** Binds HOST:port (0 picks a free port); resolves the bound port. */
  listen(port: number): Promise<number>;
  /**
   * Graceful stop: health NOT_SERVING, no new calls, in-flight calls finish
   * within SHUTDOWN_GRACE_MS and are then cancelled; the runner is closed.
   * Safe to call twice.
   */
  close(): Promise<void>;
  /** Shares heavy computations between calls (stats for tests and logs). */
  readonly registry: JobRegistry;
  /** The grpc.health.v1 status of the server. */
  readonly health: ServerHealth;
}

const defaultAnswerer: AnswererFactory = (registry, limits, logger, observer) =>
  createActorAnswerer(provideRequestMachine(registry), limits, logger, observer);

/** Creates the server; nothing is bound until start() or listen(). */
export function createServer(deps: ServerDeps): TwelvefaServer {
  const { config, logger, runner, observer } = deps;
  const registry = new JobRegistry(runner, {
    maxInFlight: config.maxInFlight,
    cacheSize: config.resultCacheSize,
  });
  const limits: RequestLimits = {
    inlineMaxN: config.inlineMaxN,
    maxN: config.maxN,
    maxBatch: config.maxBatch,
  };
  const answer = (deps.createAnswerer ?? defaultAnswerer)(registry, limits, logger, observer);
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
    createCalcService({ logger, requestTimeoutMs: config.requestTimeoutMs, answer, observer }),
  );
  const health = new ServerHealth();
  health.implementation.addToServer(grpcServer);
  createReflection().addToServer(grpcServer);

  let bound = false;
  let runnerReady = false;
  let closing: Promise<void> | undefined;
  let stopping = false;
  let stopWatching: (() => void) | undefined;

  const updateHealth = (): void => {
    health.set(bound && runnerReady && !stopping ? SERVING : NOT_SERVING);
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
    await runner.close();
  };

  return {
    start: () => listen(config.port),
    listen,
    close: () => {
      closing ??= shutdown();
      return closing;
    },
    registry,
    health,
  };
}
