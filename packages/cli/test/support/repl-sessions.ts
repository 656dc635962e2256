import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { CALCLI_BIN } from './calcli.js';
import { Terminal } from './terminal.js';
import { TwelvefaServer } from './twelvefa-server.js';

export interface SessionOptions {
  readonly columns?: number;
  readonly rows?: number;
  /** More calcli options, after `connect :PORT`. */
  readonly args?: readonly string[];
}

/** What a describe block of REPL tests gets: the server, its history file, and a way to start calcli. */
export interface ReplSessions {
  readonly server: () => TwelvefaServer;
  /** The history file of the current test (fresh per test). */
  readonly history: () => string;
  /**
   * Starts `calcli connect :PORT` in a fresh terminal (100x40 unless `options` says otherwise),
   * the history seeded with `entries`.
   */
  start(entries?: readonly string[], options?: SessionOptions): Promise<Terminal>;
}

/**
 * Registers the hooks REPL tests share, in the describe block that calls it: one real server
 * for the block, a history file per test, and every terminal closed after its test.
 */
export function useReplSessions(): ReplSessions {
  let server: TwelvefaServer | undefined;
  let directory = '';
  let history = '';
  const terminals: Terminal[] = [];
  beforeAll(async () => {
    server = await TwelvefaServer.start();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'calcli-repl-'));
    history = join(directory, 'history');
  });
  afterEach(async () => {
    await Promise.all(terminals.splice(0).map((terminal) => terminal.close()));
    rmSync(directory, { recursive: true, force: true });
  });
  const running = (): TwelvefaServer => {
    if (server === undefined) throw new Error('the server did not start');
    return server;
  };
  return {
    server: running,
    history: () => history,
    async start(entries = [], { args = [], ...size } = {}) {
      if (entries.length > 0) writeFileSync(history, `${entries.join('\n')}\n`);
      const terminal = await Terminal.start(
        [process.execPath, CALCLI_BIN, 'connect', `:${running().port}`, ...args],
        { env: { CALCLI_HISTORY: history }, ...size },
      );
      terminals.push(terminal);
      await terminal.waitFor(/^calc>$/m);
      return terminal;
    },
  };
}
