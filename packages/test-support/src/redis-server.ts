import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

/** A Redis for one test file: REDIS_URL if set, else a private redis-server on a free port. */
export interface TestRedis {
  readonly url: string;
  /** The private server's process id (its CPU time, say); undefined for REDIS_URL. */
  readonly pid: number | undefined;
  /** Stops the private server (no-op for REDIS_URL); safe to call twice. */
  close(): Promise<void>;
  /** Stops the private server abruptly, to test an unreachable Redis (needs `own`). */
  kill(): Promise<void>;
  /**
   * Kills the private server (SIGKILL) and starts it again on the same port: empty, or with
   * what its append-only file kept when started with `appendOnly` (needs `own`).
   */
  restart(): Promise<void>;
  /**
   * Stops the private server in its tracks (SIGSTOP): its connections stay open and nothing
   * answers, as with a Redis stalled by swapping or a long script (needs `own`).
   */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
}

/** How the private server keeps its data. */
export interface TestRedisOptions {
  /**
   * A private server even when REDIS_URL is set: for tests that kill or restart it, which must
   * not stop a shared Redis, nor pass without having stopped anything.
   */
  readonly own?: boolean;
  /** AOF with fsync on every write, so a SIGKILL loses nothing acknowledged. Default: no persistence. */
  readonly appendOnly?: boolean;
}

async function waitForPing(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch (error) {
      client.disconnect();
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Starts (or attaches to) a Redis; a private server is never the shared 6379. */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const given = process.env.REDIS_URL;
  if (given !== undefined && given !== '' && !options.own) {
    const refuse = async (): Promise<void> => {
      throw new Error('this test stops its Redis: start it with { own: true }, not REDIS_URL');
    };
    const refuseNow = (): void => {
      throw new Error('this test stops its Redis: start it with { own: true }, not REDIS_URL');
    };
    return {
      url: given,
      pid: undefined,
      close: async () => undefined,
      kill: refuse,
      restart: refuse,
      pause: refuseNow,
      resume: refuseNow,
    };
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'twelvefa-redis-'));
  const persistence = options.appendOnly
    ? ['--appendonly', 'yes', '--appendfsync', 'always']
    : ['--appendonly', 'no'];
  let child: ChildProcess;
  let exited: Promise<void>;
  const start = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...persistence],
      { stdio: 'ignore' },
    );
    const started = child;
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    await waitForPing(url);
  };
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // A paused server would hold a SIGTERM until it goes on.
      child.kill('SIGCONT');
      child.kill(signal);
    }
    await exited;
  };
  await start();
  return {
    url,
    get pid() {
      return child.pid;
    },
    close: async () => {
      await stop('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
    kill: () => stop('SIGKILL'),
    restart: async () => {
      await stop('SIGKILL');
      await start();
    },
    pause: () => {
      child.kill('SIGSTOP');
    },
    resume: () => {
      child.kill('SIGCONT');
    },
  };
}
